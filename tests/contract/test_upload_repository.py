"""UploadRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from application.uploads.ports import ExtractedChapter
from domain.book import Book
from domain.upload import BookFormat, Upload, UploadChapter, upload_file_key

if TYPE_CHECKING:
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 12, 30, 15, 654321, tzinfo=UTC)
TEXTS = (
    ExtractedChapter(1, "Marley's Ghost", "Marley was dead: to begin with. " * 50),
    ExtractedChapter(2, "The First of the Three Spirits", "When Scrooge awoke, it was dark."),
)


def make_upload(owner_id: UUID, **changes: object) -> Upload:
    upload_id = uuid.uuid4()
    upload = Upload(
        id=upload_id,
        owner_id=owner_id,
        format=BookFormat.EPUB,
        filename="carol.epub",
        size_bytes=3_000_000_000,  # over 32 bits
        file_key=upload_file_key(upload_id),
        title="A Christmas Carol",
        author="Charles Dickens",
        language="en",
        chapters=tuple(UploadChapter(c.number, c.title, c.words) for c in TEXTS),
        characters=sum(len(c.text) for c in TEXTS),
        created_at=T0,
        cover_key=f"uploads/{upload_id}/cover",
    )
    return replace(upload, **changes)  # type: ignore[arg-type]


async def add(uow_factory: UnitOfWorkFactory, upload: Upload) -> None:
    async with uow_factory() as uow:
        await uow.uploads.add(upload, TEXTS)
        await uow.commit()


async def test_round_trip_keeps_every_field_and_the_text(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id)
    await add(uow_factory, upload)
    async with uow_factory() as uow:
        assert await uow.uploads.get(upload.id) == upload
        assert await uow.uploads.chapter_text(upload.id, 1) == TEXTS[0]
        assert await uow.uploads.chapter_text(upload.id, 2) == TEXTS[1]
        assert await uow.uploads.chapter_text(upload.id, 3) is None
        assert await uow.uploads.get(uuid.uuid4()) is None


async def test_nothing_is_kept_without_commit(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id)
    async with uow_factory() as uow:
        await uow.uploads.add(upload, TEXTS)
    async with uow_factory() as uow:
        assert await uow.uploads.get(upload.id) is None
        assert await uow.uploads.chapter_text(upload.id, 1) is None


async def test_save_records_the_book_and_find_by_book_finds_it(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id, cover_key=None)
    await add(uow_factory, upload)
    book = Book(uuid.uuid4(), "A Christmas Carol", "Charles Dickens", "en", T0, T0)
    async with uow_factory() as uow:
        await uow.books.save(book)
        assert await uow.uploads.find_by_book(book.id) is None
        await uow.uploads.save(upload.with_book(book.id))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.find_by_book(book.id) == upload.with_book(book.id)
        assert await uow.uploads.chapter_text(upload.id, 2) == TEXTS[1]  # text untouched


async def test_delete_removes_the_upload_and_its_text_only(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    gone, kept = make_upload(owner_id), make_upload(owner_id)
    await add(uow_factory, gone)
    await add(uow_factory, kept)
    async with uow_factory() as uow:
        await uow.uploads.delete(gone.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.get(gone.id) is None
        assert await uow.uploads.chapter_text(gone.id, 1) is None
        assert await uow.uploads.get(kept.id) == kept
        assert await uow.uploads.chapter_text(kept.id, 1) == TEXTS[0]
