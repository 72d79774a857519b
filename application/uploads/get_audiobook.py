"""GetAudiobook: where a rendition's whole-book file is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.get_book import load_book
from application.books.get_chapter_audio import AudioFile
from application.books.list_chapters import pick_rendition
from domain.errors import AudiobookNotReady, AudioNotFound, ValidationFailed
from domain.upload import AUDIOBOOK_FORMATS, audiobook_key

if TYPE_CHECKING:
    from uuid import UUID

    from application.books.ports import AudioStorage, BooksUnitOfWorkFactory
    from domain.book import Book


@dataclass(frozen=True, slots=True)
class AudiobookQuery:
    """A book's whole-book file in a format, from one rendition (None: the default)."""

    book_id: UUID
    viewer_id: UUID
    format: str = "m4b"
    rendition_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Audiobook:
    """The file, and the book it is of (for its name)."""

    book: Book
    file: AudioFile


class GetAudiobook:
    """Locate a whole-book file. Raises BookNotFound, RenditionNotFound, ValidationFailed
    (format), AudiobookNotReady (its job is still running) or AudioNotFound (none made:
    a book found by ISBN)."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory, storage: AudioStorage) -> None:
        self._uow = uow_factory
        self._storage = storage

    async def __call__(self, query: AudiobookQuery) -> Audiobook:
        if query.format not in AUDIOBOOK_FORMATS:
            raise ValidationFailed(f"format must be one of {', '.join(AUDIOBOOK_FORMATS)}")
        async with self._uow() as uow:
            book = await load_book(uow, query.book_id, query.viewer_id)
            rendition = await pick_rendition(uow, query.book_id, query.rendition_id)
        if rendition is None:
            raise AudioNotFound(f"book {query.book_id} has no audio yet")
        key = audiobook_key(book.id, rendition.id, query.format)
        if not await self._storage.exists(key):
            if rendition.is_complete:
                raise AudioNotFound(f"no {query.format} audiobook was made of this rendition")
            raise AudiobookNotReady("the audiobook is still being made: try again later")
        size = await self._storage.size(key)
        url = await self._storage.url(key)
        return Audiobook(book, AudioFile(key, size, url, self._storage))


__all__ = ["Audiobook", "AudiobookQuery", "GetAudiobook"]
