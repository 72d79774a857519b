"""BookSearch contract: the memory, SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm)
adapters find the same books for the same queries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from adapters.memory.community import MemoryBookSearch
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.sqlalchemy.search import make_book_search
from application.community.search_books import SearchBooks
from domain.book import Book, BookIsbn
from domain.isbn import Isbn

if TYPE_CHECKING:
    from application.community.ports import BookSearch

T0 = datetime(2024, 1, 1, tzinfo=UTC)
LIBRARY = [
    ("The Hobbit", "J. R. R. Tolkien"),
    ("The Lord of the Rings", "J. R. R. Tolkien"),
    ("Les Misérables", "Victor Hugo"),
    ("Dune", "Frank Herbert"),
    ("Hobbies for Everyone", "Ann Crafts"),
    ("A Life of Tolkien", "Humphrey Carpenter"),
    ("Émile, ou De l'éducation", "Jean-Jacques Rousseau"),
]
DUNE_ISBN = Isbn.parse("9780441013593")


@pytest.fixture
async def search(uow_factory: Any) -> tuple[BookSearch, dict[str, Book]]:
    books = {title: Book(uuid.uuid4(), title, author, "en", T0, T0) for title, author in LIBRARY}
    async with uow_factory() as uow:
        for b in books.values():
            await uow.books.save(b)
        await uow.books.add_isbns(BookIsbn.all_for(books["Dune"].id, DUNE_ISBN))
        await uow.commit()
    if isinstance(uow_factory, MemoryUnitOfWorkFactory):
        return MemoryBookSearch(uow_factory.db), books
    return make_book_search(uow_factory.engine), books


async def titles(search: tuple[BookSearch, dict[str, Book]], text: str) -> list[str]:
    adapter, books = search
    by_id = {b.id: title for title, b in books.items()}
    return [by_id[hit.book_id] for hit in await adapter.search(text, limit=10)]


async def test_case_and_accents_do_not_matter(search: Any) -> None:
    assert await titles(search, "les miserables") == ["Les Misérables"]
    assert await titles(search, "LES MISÉRABLES") == ["Les Misérables"]
    assert await titles(search, "emile") == ["Émile, ou De l'éducation"]


async def test_unfinished_words_match_as_prefixes(search: Any) -> None:
    assert set(await titles(search, "hobb")) == {"The Hobbit", "Hobbies for Everyone"}
    assert await titles(search, "lord of the ri") == ["The Lord of the Rings"]


async def test_one_typo_is_forgiven(search: Any) -> None:
    assert (await titles(search, "hobit"))[0] == "The Hobbit"
    assert (await titles(search, "misreables"))[0] == "Les Misérables"


async def test_title_matches_rank_above_author_matches(search: Any) -> None:
    found = await titles(search, "tolkien")
    assert found[0] == "A Life of Tolkien"
    assert set(found) == {"A Life of Tolkien", "The Hobbit", "The Lord of the Rings"}


async def test_authors_are_searched(search: Any) -> None:
    assert await titles(search, "herbert") == ["Dune"]
    assert await titles(search, "victor hugo") == ["Les Misérables"]


@pytest.mark.parametrize(
    "text",
    ['"the hobbit', "(dune", "dune AND", "OR", "hobbit OR dune)", "-", "'", "a:*", "\\", "&|!",
     "NEAR(dune)", "*", "title:dune", "😀", "dune" * 60, "  "],
)  # fmt: skip
async def test_operators_and_symbols_never_fail(search: Any, text: str) -> None:
    await titles(search, text)  # no exception is the contract


async def test_nothing_found_is_empty(search: Any) -> None:
    assert await titles(search, "zzzzqqq") == []


async def test_an_isbn_finds_its_book_first(uow_factory: Any, search: Any) -> None:
    adapter, books = search
    found = await SearchBooks(uow_factory=uow_factory, search=adapter)("978-0-441-01359-3")
    assert [item.book.title for item in found][:1] == ["Dune"]
    assert found[0].book.id == books["Dune"].id
