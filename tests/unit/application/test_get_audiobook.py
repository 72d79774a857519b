"""GetAudiobook: 409 while the rendition is being made, 404 when none was made."""

from __future__ import annotations

import uuid

import pytest

from adapters.memory.storage import MemoryAudioStorage
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.uploads.get_audiobook import AudiobookQuery, GetAudiobook
from domain.book import Book
from domain.errors import AudiobookNotReady, AudioNotFound, BookNotFound, ValidationFailed
from domain.recipe import Mode
from domain.rendition import Rendition
from domain.speech import SpeechOptions
from domain.upload import audiobook_key
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1)


async def setup(world: World, *, complete: bool) -> tuple[Book, Rendition]:
    now = world.clock.now()
    book = Book(uuid.uuid4(), "Foxes", "A. Writer", "en", now, now, owner_id=OWNER)
    rendition = Rendition(
        uuid.uuid4(), book.id, Mode.FULL, SpeechOptions.of("memory", None, 1.0), now, now,
        completed_at=now if complete else None,
    )  # fmt: skip
    async with world.uow() as uow:
        await uow.books.save(book)
        await uow.renditions.add(rendition)
        await uow.commit()
    return book, rendition


def use_case(uow: MemoryUnitOfWorkFactory, storage: MemoryAudioStorage) -> GetAudiobook:
    return GetAudiobook(uow_factory=uow, storage=storage)


async def test_not_ready_while_the_rendition_is_being_made(world: World) -> None:
    book, _ = await setup(world, complete=False)
    with pytest.raises(AudiobookNotReady) as caught:
        await use_case(world.uow, world.storage)(AudiobookQuery(book.id, OWNER))
    assert caught.value.code == "audiobook_not_ready"


async def test_found_once_made_and_missing_when_never_made(world: World) -> None:
    book, rendition = await setup(world, complete=True)
    get = use_case(world.uow, world.storage)
    with pytest.raises(AudioNotFound):
        await get(AudiobookQuery(book.id, OWNER, "mp3"))
    await world.storage.put(audiobook_key(book.id, rendition.id, "mp3"), b"ID3-and-frames")
    found = await get(AudiobookQuery(book.id, OWNER, "mp3"))
    assert (found.book.id, found.file.size) == (book.id, 14)


async def test_bad_format_and_other_users(world: World) -> None:
    book, _ = await setup(world, complete=True)
    get = use_case(world.uow, world.storage)
    with pytest.raises(ValidationFailed):
        await get(AudiobookQuery(book.id, OWNER, "ogg"))
    with pytest.raises(BookNotFound):
        await get(AudiobookQuery(book.id, uuid.UUID(int=2)))
