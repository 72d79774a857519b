"""BookRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest

from application.community.ports import CatalogueQuery
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
        assert (await uow.catalogue.list(CatalogueQuery())).total == 1  # one row, not two


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


async def test_the_owner_of_a_book_made_from_an_upload_round_trips(
    uow_factory: UnitOfWorkFactory, add_user: Any
) -> None:
    owner = await add_user()
    own = make_book("Own", owner_id=owner)
    await save(uow_factory, own, make_book("Shared"))
    async with uow_factory() as uow:
        assert await uow.books.get(own.id) == own
