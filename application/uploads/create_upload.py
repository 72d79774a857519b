"""CreateUpload: store a book file as it streams in, sniff its format, find its chapters.

Nothing half-made is left behind: when the file is refused (too large, of an unknown
format, encrypted, corrupt, without text) its stored bytes are deleted before the error
is raised, and no upload row exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import NoText, UnsupportedFormat
from domain.upload import (
    BookFormat,
    Upload,
    UploadChapter,
    sniff_format,
    upload_cover_key,
    upload_file_key,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Callable, Mapping
    from uuid import UUID

    from application.shared.ports import Clock, IdGenerator
    from application.uploads.ports import BookReader, UploadStore, UploadsUnitOfWorkFactory

SNIFF_BYTES = 4096
DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CreateUploadCommand:
    """Who uploads which file: its bytes as they arrive, and its name as sent (``filename()``
    is asked once the bytes are read: a multipart body may name the file anywhere)."""

    owner_id: UUID
    filename: Callable[[], str]
    chunks: AsyncIterable[bytes]


class CreateUpload:
    """Store the file, read its chapters, record the upload."""

    def __init__(
        self,
        *,
        uow_factory: UploadsUnitOfWorkFactory,
        store: UploadStore,
        readers: Mapping[str, BookReader],
        clock: Clock,
        ids: IdGenerator,
        max_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    ) -> None:
        self._uow = uow_factory
        self._store = store
        self._readers = readers
        self._clock = clock
        self._ids = ids
        self._max_bytes = max_bytes

    async def __call__(self, command: CreateUploadCommand) -> Upload:
        """Raises FileTooLarge, UnsupportedFormat, EncryptedFile, UnreadableFile or NoText."""
        upload_id = self._ids.new_id()
        file_key = upload_file_key(upload_id)
        cover_key = upload_cover_key(upload_id)
        size = await self._store.write(file_key, command.chunks, self._max_bytes)
        try:
            if size == 0:
                raise NoText("the file is empty")
            fmt = sniff_format(await self._store.head(file_key, SNIFF_BYTES))
            reader = self._readers.get(fmt.value) if fmt is not None else None
            if fmt is None or reader is None:
                raise UnsupportedFormat(
                    "the file is not a book BookBytes can read "
                    "(EPUB, PDF, plain text, HTML, FB2, DOCX, MOBI or AZW3)"
                )
            async with self._store.local_file(file_key) as path:
                book = await reader.read(path)
            chapters = tuple(
                ExtractedChapter(number, c.title, c.text)
                for number, c in enumerate((c for c in book.chapters if c.text.strip()), 1)
            )
            if not chapters:
                raise NoText("no text was found in the file")
            book = ExtractedBook(
                book.title, book.author, book.language, chapters, book.cover, book.cover_type
            )
            has_cover = book.cover is not None
            if book.cover is not None:
                await self._store.write(cover_key, _once(book.cover), self._max_bytes)
            upload = _upload(
                upload_id, command, fmt.value, size, file_key, book,
                cover_key if has_cover else None, self._clock,
            )  # fmt: skip
            async with self._uow() as uow:
                await uow.uploads.add(upload, book.chapters)
                await uow.commit()
            return upload
        except BaseException:
            await self._store.delete(file_key)
            await self._store.delete(cover_key)
            raise


def _upload(
    upload_id: UUID,
    command: CreateUploadCommand,
    fmt: str,
    size: int,
    file_key: str,
    book: ExtractedBook,
    cover_key: str | None,
    clock: Clock,
) -> Upload:
    return Upload(
        id=upload_id,
        owner_id=command.owner_id,
        format=BookFormat(fmt),
        filename=command.filename()[:255] or "book",
        size_bytes=size,
        file_key=file_key,
        title=book.title[:500] or "Untitled",
        author=book.author[:500] or "Unknown author",
        language=book.language or "en",
        chapters=tuple(UploadChapter(c.number, c.title[:500], c.words) for c in book.chapters),
        characters=sum(len(c.text) for c in book.chapters),
        created_at=clock.now(),
        cover_key=cover_key,
    )


async def _once(data: bytes) -> AsyncIterable[bytes]:
    yield data


__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "CreateUpload", "CreateUploadCommand"]
