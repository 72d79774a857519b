"""RenditionRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from domain.book import Book
from domain.errors import Conflict
from domain.recipe import Mode, Recipe
from domain.rendition import ChapterAudio, Rendition
from domain.speech import SpeechOptions

if TYPE_CHECKING:
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 12, 30, 15, 654321, tzinfo=UTC)


@pytest.fixture
async def book_id(uow_factory: UnitOfWorkFactory) -> UUID:
    book = Book(uuid.uuid4(), "Dune", "Frank Herbert", "en", T0, T0)
    async with uow_factory() as uow:
        await uow.books.save(book)
        await uow.commit()
    return book.id


def make_rendition(
    book_id: UUID, voice: str = "female", at: datetime = T0, mode: Mode = Mode.SUMMARY
) -> Rendition:
    return Rendition(uuid.uuid4(), book_id, mode, SpeechOptions("espeak", voice, 1.25), at, at)


async def add(uow_factory: UnitOfWorkFactory, *renditions: Rendition) -> None:
    async with uow_factory() as uow:
        for rendition in renditions:
            await uow.renditions.add(rendition)
        await uow.commit()


async def test_a_rendition_is_found_by_book_and_recipe(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    female = make_rendition(book_id)
    male = make_rendition(book_id, "male", T0 + timedelta(seconds=1))
    full = make_rendition(book_id, "female", T0 + timedelta(seconds=2), Mode.FULL)
    await add(uow_factory, female, male, full)
    async with uow_factory() as uow:
        assert await uow.renditions.get(female.id) == female
        assert await uow.renditions.get(uuid.uuid4()) is None
        assert await uow.renditions.find(book_id, female.recipe) == female
        assert await uow.renditions.find(book_id, full.recipe) == full
        other = Recipe(Mode.SUMMARY, SpeechOptions("espeak", "female", 1.0))
        assert await uow.renditions.find(book_id, other) is None
        assert await uow.renditions.find(uuid.uuid4(), female.recipe) is None
        assert await uow.renditions.list_for_book(book_id) == [full, male, female]
        assert await uow.renditions.list_for_book(uuid.uuid4()) == []


async def test_one_recipe_of_a_book_is_one_rendition(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    first = make_rendition(book_id)
    await add(uow_factory, first)
    with pytest.raises(Conflict):
        await add(uow_factory, make_rendition(book_id))
    async with uow_factory() as uow:
        assert await uow.renditions.list_for_book(book_id) == [first]


async def test_completing_a_rendition_is_saved(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    rendition = make_rendition(book_id)
    await add(uow_factory, rendition)
    done = rendition.completed(T0 + timedelta(minutes=3))
    async with uow_factory() as uow:
        await uow.renditions.save(done)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.renditions.get(rendition.id)
    assert stored == done
    assert stored is not None and stored.is_complete


async def test_chapter_audio_is_kept_per_rendition_and_saved_once_per_chapter(
    uow_factory: UnitOfWorkFactory, book_id: UUID
) -> None:
    female, male = make_rendition(book_id), make_rendition(book_id, "male")
    await add(uow_factory, female, male)

    def audio(rendition: Rendition, number: int, key: str, duration: float) -> ChapterAudio:
        return ChapterAudio(rendition.id, number, key, duration, T0)

    async with uow_factory() as uow:
        for each in (
            audio(female, 2, "f2", 3.5),
            audio(female, 1, "f1", 1.25),
            audio(male, 1, "m1", 2.0),
            audio(female, 2, "f2-again", 4.0),  # a retry overwrites
        ):
            await uow.renditions.save_audio(each)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.renditions.audio(female.id) == [
            audio(female, 1, "f1", 1.25),
            audio(female, 2, "f2-again", 4.0),
        ]
        assert await uow.renditions.audio(male.id) == [audio(male, 1, "m1", 2.0)]
        assert await uow.renditions.audio(uuid.uuid4()) == []
