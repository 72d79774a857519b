"""In-memory adapters of the uploads feature: the upload repository and the file store."""

from __future__ import annotations

import contextlib
import tempfile
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.memory.database import MemoryRepository
from adapters.storage.keys import validate_key
from domain.errors import Conflict, FileTooLarge, UploadNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, AsyncIterator, Sequence
    from uuid import UUID

    from adapters.memory.database import MemoryDatabase, Staged
    from application.uploads.ports import ExtractedChapter
    from domain.upload import Upload


class MemoryUploadRepository(MemoryRepository):
    """UploadRepository over dicts."""

    async def get(self, upload_id: UUID) -> Upload | None:
        upload: Upload | None = self._rows("uploads").get(upload_id)
        return upload

    async def find_by_book(self, book_id: UUID) -> Upload | None:
        found = [
            u for u in self._rows("uploads").values() if u is not None and u.book_id == book_id
        ]
        return min(found, key=lambda u: u.created_at, default=None)

    async def add(self, upload: Upload, texts: Sequence[ExtractedChapter]) -> None:
        self._stage("uploads", upload.id, upload)
        self._stage("upload_texts", upload.id, {c.number: c for c in texts})

    async def claim_book(self, upload_id: UUID, book_id: UUID) -> UUID | None:
        upload = await self.get(upload_id)
        if upload is None or upload.book_id is not None:
            return None if upload is None else upload.book_id
        self._stage("uploads", upload_id, upload.with_book(book_id))

        def still_unclaimed(db: MemoryDatabase) -> None:
            current = db.table("uploads").get(upload_id)
            if current is None or current.book_id not in (None, book_id):
                raise Conflict(f"upload {upload_id} was made into another book meanwhile")

        self._check_at_commit(still_unclaimed)
        return book_id

    async def chapter_text(self, upload_id: UUID, number: int) -> ExtractedChapter | None:
        texts = self._rows("upload_texts").get(upload_id) or {}
        chapter: ExtractedChapter | None = texts.get(number)
        return chapter

    async def delete(self, upload_id: UUID) -> None:
        self._stage("uploads", upload_id, None)  # a tombstone: reads skip None
        self._stage("upload_texts", upload_id, None)


class UploadsRepositories:
    """The uploads feature's repositories, for a memory unit of work."""

    _db: MemoryDatabase
    _staged: Staged

    @cached_property
    def uploads(self) -> MemoryUploadRepository:
        return MemoryUploadRepository(self._db, self._staged)


class MemoryUploadStore:
    """UploadStore in a dict; ``local_file`` writes a temporary copy for readers."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def write(self, key: str, chunks: AsyncIterable[bytes], max_bytes: int) -> int:
        parts: list[bytes] = []
        size = 0
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise FileTooLarge(f"the file is larger than {max_bytes} bytes")
            parts.append(bytes(chunk))
        self.objects[validate_key(key)] = b"".join(parts)
        return size

    @contextlib.asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path]:
        data = self._get(key)
        with tempfile.TemporaryDirectory(prefix="bookbytes-upload-") as folder:
            path = Path(folder) / "file"
            path.write_bytes(data)
            yield path

    async def head(self, key: str, size: int) -> bytes:
        return self._get(key)[:size]

    async def read(self, key: str) -> bytes:
        return self._get(key)

    async def delete(self, key: str) -> None:
        self.objects.pop(validate_key(key), None)

    def _get(self, key: str) -> bytes:
        try:
            return self.objects[validate_key(key)]
        except KeyError:
            raise UploadNotFound(f"nothing is stored under {key!r}") from None


__all__ = ["MemoryUploadRepository", "MemoryUploadStore", "UploadsRepositories"]
