"""BookRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest

from application.books.ports import BookFilter
from application.shared.ports import PageRequest
from domain.book import Book, BookIsbn
from domain.isbn import Isbn, IsbnType

if TYPE_CHECKING:
    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)
ISBN = Isbn.parse("0-306-40615-2")  # 9780306406157
OTHER = Isbn.parse("978-0-14-044913-6")


def make_book(title: str = "Dune", **changes: object) -> Book:
    book = Book(id=uuid.uuid4(), title=title, author="Frank Herbert", language="en",
                created_at=T0, updated_at=T0)  # fmt: skip
    return replace(book, **changes)  # type: ignore[arg-type]


async def save(uow_factory: UnitOfWorkFactory, *books: Book) -> None:
    async with uow_factory() as uow:
        for book in books:
            await uow.books.save(book)
        await uow.commit()


async def test_round_trip_keeps_every_field(uow_factory: UnitOfWorkFactory) -> None:
    plus_two = timezone(timedelta(hours=2))
    full = make_book(
        title="Dune — Deluxe",
        work_key="/works/OL893415W",
        edition="40th anniversary",
        publisher="Ace",
        pages=896,
        publish_date=date(2005, 8, 2),
        cover_url="https://covers.example/dune.jpg",
        created_at=datetime(2024, 5, 1, 14, 30, 15, 123456, tzinfo=plus_two),
        updated_at=T0 + timedelta(days=1, microseconds=1),
    )
    bare = make_book(title="Bare")
    await save(uow_factory, full, bare)
    async with uow_factory() as uow:
        loaded = await uow.books.get(full.id)
        assert loaded == full
        assert loaded is not None and loaded.created_at == T0
        assert loaded.created_at.utcoffset() is not None
        assert await uow.books.get(bare.id) == bare
        assert await uow.books.get(uuid.uuid4()) is None


async def test_save_updates_the_book_with_the_same_id(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    await save(uow_factory, book)
    newer = replace(book, title="Dune (revised)", pages=600, updated_at=T0 + timedelta(hours=1))
    await save(uow_factory, newer)
    async with uow_factory() as uow:
        assert await uow.books.get(book.id) == newer
        assert (await uow.books.list(PageRequest(), BookFilter())).total == 1


@pytest.mark.parametrize("text", ["0306406152", "9780306406157", "978-0-306-40615-7"])
async def test_find_by_isbn_accepts_either_form(uow_factory: UnitOfWorkFactory, text: str) -> None:
    book = make_book()
    await save(uow_factory, book)
    async with uow_factory() as uow:
        await uow.books.add_isbns(BookIsbn.all_for(book.id, ISBN))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.books.find_by_isbn(Isbn.parse(text))
        assert found is not None and found.id == book.id
        assert await uow.books.find_by_isbn(OTHER) is None


async def test_an_isbn10_row_alone_finds_the_book(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    await save(uow_factory, book)
    async with uow_factory() as uow:
        await uow.books.add_isbns([BookIsbn("0306406152", IsbnType.ISBN10, book.id)])
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.books.find_by_isbn(ISBN)
        assert found is not None and found.id == book.id


async def test_add_isbns_repoints_a_known_isbn(uow_factory: UnitOfWorkFactory) -> None:
    first, second = make_book("First"), make_book("Second")
    await save(uow_factory, first, second)
    async with uow_factory() as uow:
        await uow.books.add_isbns(BookIsbn.all_for(first.id, ISBN))
        await uow.commit()
    async with uow_factory() as uow:
        await uow.books.add_isbns(BookIsbn.all_for(second.id, ISBN))
        await uow.books.add_isbns([])
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.books.find_by_isbn(ISBN)
        assert found is not None and found.id == second.id


async def test_loaded_books_carry_their_isbns(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    await save(uow_factory, book)
    async with uow_factory() as uow:
        await uow.books.add_isbns(BookIsbn.all_for(book.id, ISBN))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.books.find_by_isbn(ISBN)
        assert found is not None and found.isbns == ("9780306406157", "0306406152")


async def test_find_by_work_groups_by_work_and_language(uow_factory: UnitOfWorkFactory) -> None:
    english = make_book(work_key="/works/OL1W", language="en")
    french = make_book(title="Dune (fr)", work_key="/works/OL1W", language="fr")
    no_work = make_book(title="Loose")
    await save(uow_factory, english, french, no_work)
    async with uow_factory() as uow:
        assert await uow.books.find_by_work("/works/OL1W", "en") == english
        assert await uow.books.find_by_work("/works/OL1W", "fr") == french
        assert await uow.books.find_by_work("/works/OL1W", "de") is None
        assert await uow.books.find_by_work("/works/OL2W", "en") is None


async def test_list_orders_by_title_then_id_and_pages(uow_factory: UnitOfWorkFactory) -> None:
    books = [make_book(t) for t in ("Echo", "Alpha", "Delta", "Bravo", "Charlie")]
    twins = [make_book("Alpha") for _ in range(2)]
    await save(uow_factory, *books, *twins)
    expected = sorted([*books, *twins], key=lambda b: (b.title, str(b.id)))
    async with uow_factory() as uow:
        first = await uow.books.list(PageRequest(limit=3, offset=0), BookFilter())
        rest = await uow.books.list(PageRequest(limit=3, offset=3), BookFilter())
        beyond = await uow.books.list(PageRequest(limit=3, offset=10), BookFilter())
    assert [*first.items, *rest.items] == expected[:6]
    assert (first.total, first.limit, first.offset) == (7, 3, 0)
    assert (rest.total, rest.offset) == (7, 3)
    assert (list(beyond.items), beyond.total) == ([], 7)


async def test_list_filters_and_counts(uow_factory: UnitOfWorkFactory) -> None:
    dune = make_book("Dune", language="en")
    messiah = make_book("Dune Messiah", language="fr")
    emma = make_book("Emma", author="Jane Austen")
    percent = make_book("100% Sure", author="A. N. Other")
    near = make_book("1000 Sure", author="A. N. Other")
    await save(uow_factory, dune, messiah, emma, percent, near)

    async def titles(**filters: str) -> tuple[list[str], int]:
        async with uow_factory() as uow:
            page = await uow.books.list(PageRequest(), BookFilter(**filters))
        return [b.title for b in page.items], page.total

    assert await titles(title="dUNE") == (["Dune", "Dune Messiah"], 2)
    assert await titles(author="austen") == (["Emma"], 1)
    assert await titles(language="fr") == (["Dune Messiah"], 1)
    assert await titles(title="dune", language="en") == (["Dune"], 1)
    assert await titles(title="100%") == (["100% Sure"], 1)
    assert await titles(title="zzz") == ([], 0)


async def test_a_book_made_from_an_upload_is_listed_for_its_owner_only(
    uow_factory: UnitOfWorkFactory, add_user: Any
) -> None:
    owner, other = await add_user(), await add_user()
    shared = make_book("Shared")
    own = make_book("Own", owner_id=owner)
    theirs = make_book("Theirs", owner_id=other)
    await save(uow_factory, shared, own, theirs)
    async with uow_factory() as uow:
        assert await uow.books.get(own.id) == own  # owner_id round-trips
        for viewer, titles in ((None, ["Shared"]), (owner, ["Own", "Shared"])):
            page = await uow.books.list(PageRequest(), BookFilter(viewer_id=viewer))
            assert [b.title for b in page.items] == titles
            assert page.total == len(titles)
