"""ChapterRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from domain.book import Book
from domain.chapter import Chapter

if TYPE_CHECKING:
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 12, 30, 15, 654321, tzinfo=UTC)


@pytest.fixture
async def book_id(uow_factory: UnitOfWorkFactory) -> UUID:
    return await _add_book(uow_factory)


async def _add_book(uow_factory: UnitOfWorkFactory) -> UUID:
    book = Book(uuid.uuid4(), "Dune", "Frank Herbert", "en", T0, T0)
    async with uow_factory() as uow:
        await uow.books.save(book)
        await uow.commit()
    return book.id


def make_chapter(book_id: UUID, number: int = 1, **changes: object) -> Chapter:
    chapter = Chapter(id=uuid.uuid4(), book_id=book_id, number=number,
                      title=f"Chapter {number}", created_at=T0, updated_at=T0)  # fmt: skip
    return replace(chapter, **changes)  # type: ignore[arg-type]


async def save(uow_factory: UnitOfWorkFactory, *chapters: Chapter) -> None:
    async with uow_factory() as uow:
        for chapter in chapters:
            await uow.chapters.save(chapter)
        await uow.commit()


async def test_round_trip_keeps_every_field(uow_factory: UnitOfWorkFactory, book_id: UUID) -> None:
    full = make_chapter(
        book_id,
        1,
        summary="Paul goes to Arrakis. Things happen.",
        word_count=6,
        updated_at=T0 + timedelta(minutes=5),
    )
    bare = make_chapter(book_id, 2)
    await save(uow_factory, full, bare)
    async with uow_factory() as uow:
        assert await uow.chapters.get(book_id, 1) == full
        assert await uow.chapters.get(book_id, 2) == bare
        assert await uow.chapters.get(book_id, 3) is None
        assert await uow.chapters.get(uuid.uuid4(), 1) is None


async def test_saving_a_chapter_twice_leaves_one_row_and_keeps_its_id(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    first = make_chapter(book_id, 1)
    await save(uow_factory, first)
    later = T0 + timedelta(hours=1)
    again = make_chapter(
        book_id, 1, title="Chapter One", summary="Done.", word_count=1,
        created_at=later, updated_at=later,
    )  # fmt: skip
    await save(uow_factory, again)
    async with uow_factory() as uow:
        rows = await uow.chapters.list_for_book(book_id)
        await uow.chapters.save(replace(again, id=uuid.uuid4(), title="In one unit"))
        await uow.chapters.save(replace(again, id=uuid.uuid4(), title="In one unit, twice"))
        await uow.commit()
    assert rows == [replace(again, id=first.id, created_at=first.created_at)]
    async with uow_factory() as uow:
        final = await uow.chapters.list_for_book(book_id)
    assert [(c.id, c.title, c.created_at) for c in final] == [(first.id, "In one unit, twice", T0)]


async def test_list_for_book_is_ordered_by_number(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    other_book = await _add_book(uow_factory)
    await save(uow_factory, *(make_chapter(book_id, n) for n in (3, 1, 10, 2)))
    await save(uow_factory, make_chapter(other_book, 1))
    async with uow_factory() as uow:
        numbers = [c.number for c in await uow.chapters.list_for_book(book_id)]
        assert numbers == [1, 2, 3, 10]
        assert len(await uow.chapters.list_for_book(other_book)) == 1
        assert await uow.chapters.list_for_book(uuid.uuid4()) == []
