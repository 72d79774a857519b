"""UploadRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from application.uploads.ports import ExtractedChapter
from domain.book import Book
from domain.errors import Conflict
from domain.upload import BookFormat, Upload, UploadChapter, upload_file_key
from tests.support.databases import wait_for_lock_waiter

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
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


async def add_book(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> Book:
    book = Book(
        uuid.uuid4(), "A Christmas Carol", "Charles Dickens", "en", T0, T0, owner_id=owner_id
    )
    async with uow_factory() as uow:
        await uow.books.save(book)
        await uow.commit()
    return book


async def test_claim_book_records_the_book_and_find_by_book_finds_it(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id, cover_key=None)
    await add(uow_factory, upload)
    book = await add_book(uow_factory, owner_id)
    async with uow_factory() as uow:
        assert await uow.uploads.find_by_book(book.id) is None
        assert await uow.uploads.claim_book(upload.id, book.id) == book.id
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.find_by_book(book.id) == upload.with_book(book.id)
        assert await uow.uploads.chapter_text(upload.id, 2) == TEXTS[1]  # text untouched


async def test_a_later_claim_gets_the_first_book_and_changes_nothing(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id)
    await add(uow_factory, upload)
    first, second = await add_book(uow_factory, owner_id), await add_book(uow_factory, owner_id)
    async with uow_factory() as uow:
        assert await uow.uploads.claim_book(upload.id, first.id) == first.id
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.claim_book(upload.id, second.id) == first.id
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.get(upload.id) == upload.with_book(first.id)
        assert await uow.uploads.find_by_book(second.id) is None


async def test_a_claim_is_not_kept_without_commit(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    upload = make_upload(owner_id)
    await add(uow_factory, upload)
    dropped, kept = await add_book(uow_factory, owner_id), await add_book(uow_factory, owner_id)
    async with uow_factory() as uow:
        assert await uow.uploads.claim_book(upload.id, dropped.id) == dropped.id
    async with uow_factory() as uow:
        assert await uow.uploads.get(upload.id) == upload
        assert await uow.uploads.claim_book(upload.id, kept.id) == kept.id
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.uploads.get(upload.id) == upload.with_book(kept.id)


async def test_a_claim_on_a_missing_upload_is_none(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    book = await add_book(uow_factory, owner_id)
    async with uow_factory() as uow:
        assert await uow.uploads.claim_book(uuid.uuid4(), book.id) is None


async def test_of_two_overlapping_claims_one_wins(
    uow_factory: UnitOfWorkFactory, uow_backend: str, owner_id: UUID
) -> None:
    """B claims while A's claim is not yet committed. PostgreSQL makes B wait on A's row
    lock and answer A's book; SQLite makes B's write wait for A's commit; the memory adapter
    lets B win and refuses A's commit. Either way one book is recorded, and the loser can
    tell: its claim answered the other book, or its commit raised Conflict."""
    upload = make_upload(owner_id)
    await add(uow_factory, upload)
    book_a, book_b = await add_book(uow_factory, owner_id), await add_book(uow_factory, owner_id)

    async def claim(book: Book, meanwhile: Callable[[], Awaitable[object]]) -> UUID | None:
        async with uow_factory() as uow:
            claimed = await uow.uploads.claim_book(upload.id, book.id)
            await meanwhile()
            try:
                await uow.commit()
            except Conflict:
                return None
            return claimed

    async def nothing() -> None:
        return None

    async def race() -> list[UUID | None]:
        b_claims: asyncio.Task[UUID | None] | None = None

        async def b_overlaps() -> object:
            nonlocal b_claims
            b_claims = asyncio.create_task(claim(book_b, nothing))
            if uow_backend == "memory":
                return await b_claims  # nothing blocks in memory: B claims and commits first
            if uow_backend == "postgres":
                engine = uow_factory.engine  # type: ignore[attr-defined]
                return await wait_for_lock_waiter(engine, "%uploads SET book_id%")
            return await asyncio.sleep(0)  # SQLite: B's write waits, unseen, for A's commit

        a = await claim(book_a, b_overlaps)
        assert b_claims is not None
        return [a, await b_claims]

    results = await asyncio.wait_for(race(), 30)
    async with uow_factory() as uow:
        stored = await uow.uploads.get(upload.id)
    assert stored is not None and stored.book_id in (book_a.id, book_b.id)
    assert stored.book_id in results
    assert set(results) <= {stored.book_id, None}
    if uow_backend == "postgres":
        assert results == [book_a.id, book_a.id]  # B waited for A, then saw A's book


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
