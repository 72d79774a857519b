"""SqlAlchemyUploadRepository: uploads and the text of their chapters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository
from adapters.sqlalchemy.tables.uploads import upload_chapters, uploads
from application.uploads.ports import ExtractedChapter
from domain.upload import BookFormat, Upload, UploadChapter

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

_FIELDS = (
    "id", "owner_id", "filename", "size_bytes", "file_key", "cover_key", "title", "author",
    "language", "characters", "book_id", "created_at",
)  # fmt: skip
_TEXT_BATCH = 200


class SqlAlchemyUploadRepository(SqlRepository):
    """UploadRepository over the ``uploads`` and ``upload_chapters`` tables."""

    async def get(self, upload_id: UUID) -> Upload | None:
        return await self._one(sa.select(uploads).where(uploads.c.id == upload_id))

    async def find_by_book(self, book_id: UUID) -> Upload | None:
        query = (
            sa.select(uploads)
            .where(uploads.c.book_id == book_id)
            .order_by(uploads.c.created_at, uploads.c.id)
            .limit(1)
        )
        return await self._one(query)

    async def add(self, upload: Upload, texts: Sequence[ExtractedChapter]) -> None:
        await self._write(sa.insert(uploads).values(_row(upload)))
        rows = [
            {
                "upload_id": upload.id,
                "chapter_number": c.number,
                "title": c.title[:500],
                "text": c.text,
            }
            for c in texts
        ]
        for start in range(0, len(rows), _TEXT_BATCH):
            await self._write(sa.insert(upload_chapters).values(rows[start : start + _TEXT_BATCH]))

    async def claim_book(self, upload_id: UUID, book_id: UUID) -> UUID | None:
        """UPDATE .. WHERE book_id IS NULL, then read the book id back. On PostgreSQL a
        second claimer's UPDATE waits for the first's row lock and, once that commits, finds
        the id set; under READ COMMITTED its next SELECT sees the winner's id. SQLite lets
        one transaction write at a time: the second's first write waits for the first's
        commit (no snapshot is held before it), so its claim sees the winner's id too."""
        await self._session.execute(
            sa.update(uploads)
            .where(uploads.c.id == upload_id, uploads.c.book_id.is_(None))
            .values(book_id=book_id)
        )
        found = await self._session.execute(
            sa.select(uploads.c.book_id).where(uploads.c.id == upload_id)
        )
        claimed: UUID | None = found.scalar_one_or_none()
        return claimed

    async def chapter_text(self, upload_id: UUID, number: int) -> ExtractedChapter | None:
        query = sa.select(upload_chapters).where(
            upload_chapters.c.upload_id == upload_id, upload_chapters.c.chapter_number == number
        )
        row = (await self._session.execute(query)).mappings().first()
        if row is None:
            return None
        return ExtractedChapter(row["chapter_number"], row["title"], row["text"])

    async def delete(self, upload_id: UUID) -> None:
        await self._write(
            sa.delete(upload_chapters).where(upload_chapters.c.upload_id == upload_id)
        )
        await self._write(sa.delete(uploads).where(uploads.c.id == upload_id))

    async def _one(self, query: sa.Select[Any]) -> Upload | None:
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _upload(row)


def _row(upload: Upload) -> dict[str, Any]:
    row = {name: getattr(upload, name) for name in _FIELDS}
    row["format"] = upload.format
    row["chapters"] = [[c.number, c.title, c.words] for c in upload.chapters]
    return row


def _upload(row: sa.RowMapping) -> Upload:
    values = {name: row[name] for name in _FIELDS}
    return Upload(
        **values,
        format=BookFormat(row["format"]),
        chapters=tuple(UploadChapter(int(n), str(t), int(w)) for n, t, w in row["chapters"]),
    )
