"""Ports of the uploads feature: where files and uploads are kept, and the readers that
find a book's chapters in a file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from application.books.ports import BooksUnitOfWork
from application.shared.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Mapping, Sequence
    from contextlib import AbstractAsyncContextManager
    from pathlib import Path
    from uuid import UUID

    from domain.upload import Upload


@dataclass(frozen=True, slots=True)
class ExtractedChapter:
    """A chapter as read from a file: number (from 1), title and plain text."""

    number: int
    title: str
    text: str

    @property
    def words(self) -> int:
        """How many words the text has."""
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class ExtractedBook:
    """What a reader found in a file."""

    title: str
    author: str
    language: str
    chapters: tuple[ExtractedChapter, ...]
    cover: bytes | None = None
    cover_type: str | None = None


class BookReader(Protocol):
    """Reads one format."""

    async def read(self, path: Path) -> ExtractedBook:
        """The book in the file at ``path``. Raises EncryptedFile, UnreadableFile,
        FileTooLarge (an EPUB over its uncompressed limits) or NoText."""
        ...


class UploadStore(Protocol):
    """Stores uploaded files by key, streamed in chunks (never whole in memory)."""

    async def write(self, key: str, chunks: AsyncIterable[bytes], max_bytes: int) -> int:
        """Store the chunks under ``key``; return the size. Raises FileTooLarge past
        ``max_bytes``, leaving nothing stored."""
        ...

    def local_file(self, key: str) -> AbstractAsyncContextManager[Path]:
        """The stored file as a local path for the duration of the ``async with``.
        Raises UploadNotFound when nothing is stored under ``key``."""
        ...

    async def head(self, key: str, size: int) -> bytes:
        """The first ``size`` bytes of the stored object. Raises UploadNotFound."""
        ...

    async def read(self, key: str) -> bytes:
        """The whole stored object (for small ones, like a cover). Raises UploadNotFound."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a missing key does nothing."""
        ...


class UploadRepository(Protocol):
    """Uploads and the text of their chapters."""

    async def get(self, upload_id: UUID) -> Upload | None: ...
    async def find_by_book(self, book_id: UUID) -> Upload | None:
        """The upload a book was made from."""
        ...

    async def add(self, upload: Upload, texts: Sequence[ExtractedChapter]) -> None:
        """Insert an upload and its chapters' text."""
        ...

    async def claim_book(self, upload_id: UUID, book_id: UUID) -> UUID | None:
        """Record ``book_id`` as the upload's book unless it already has one (compare-and-set
        on a NULL book id); return the upload's book id afterwards: ``book_id`` when this
        call won, the earlier winner's otherwise, None when the upload is gone.

        A database serialises two claims on one row, so the second sees the first's once it
        commits. Where claims do not wait for each other (the memory adapter), both may win
        here and the later commit raises Conflict instead.
        """
        ...

    async def chapter_text(self, upload_id: UUID, number: int) -> ExtractedChapter | None:
        """One chapter's text."""
        ...

    async def delete(self, upload_id: UUID) -> None:
        """Remove the upload and its chapters' text."""
        ...


class UploadsUnitOfWork(UnitOfWork, Protocol):
    """A transaction over uploads."""

    @property
    def uploads(self) -> UploadRepository: ...


UploadsUnitOfWorkFactory = UnitOfWorkFactory[UploadsUnitOfWork]


class UploadBooksUnitOfWork(UploadsUnitOfWork, BooksUnitOfWork, Protocol):
    """A transaction over uploads and the books made from them."""


UploadBooksUnitOfWorkFactory = UnitOfWorkFactory[UploadBooksUnitOfWork]


@dataclass(frozen=True, slots=True)
class AudiobookPart:
    """One chapter of a whole-book file: its title, its stored MP3, and where its piece
    of the whole-book encoding is kept once made (see ``AudiobookAssembler.prepare``)."""

    title: str
    audio_key: str
    segment_key: str


@dataclass(frozen=True, slots=True)
class AudiobookTags:
    """What a whole-book file says about itself."""

    title: str
    author: str
    year: str | None = None
    cover: bytes | None = None


class AudiobookAssembler(Protocol):
    """Makes whole-book files (one per format) from a rendition's chapter MP3s."""

    async def prepare(self, part: AudiobookPart) -> None:
        """Encode one chapter's piece of the whole-book files now (its chapter MP3 is
        stored), so ``assemble`` only joins. Optional work: ``assemble`` makes any piece
        not prepared. Raises UpstreamError subclasses when the encoder fails."""
        ...

    async def assemble(
        self, parts: Sequence[AudiobookPart], tags: AudiobookTags, targets: Mapping[str, str]
    ) -> None:
        """Store the book as one file in each format of ``targets`` (format name ->
        storage key): ``m4b`` (AAC in MP4 with chapter marks) and ``mp3`` (ID3 chapters).
        Raises UpstreamError subclasses when the encoder fails."""
        ...


class AudioJoiner(Protocol):
    """Joins MP3 parts (a chapter spoken in pieces) into one MP3."""

    def join(self, parts: Sequence[bytes]) -> bytes:
        """One MP3 stream whose duration is the sum of the parts'."""
        ...


__all__ = [
    "AudioJoiner",
    "AudiobookAssembler",
    "AudiobookPart",
    "AudiobookTags",
    "BookReader",
    "ExtractedBook",
    "ExtractedChapter",
    "UploadBooksUnitOfWork",
    "UploadBooksUnitOfWorkFactory",
    "UploadRepository",
    "UploadStore",
    "UploadsUnitOfWork",
    "UploadsUnitOfWorkFactory",
]
