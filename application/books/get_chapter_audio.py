"""GetChapterAudio: where a chapter's MP3 is, in one rendition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.list_chapters import load_chapter
from domain.errors import AudioNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.books.list_chapters import ChapterRef
    from application.books.ports import AudioStorage, BooksUnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class AudioFile:
    """Stored audio: a URL to redirect to, or a size and a byte-range stream."""

    key: str
    size: int
    redirect_url: str | None
    storage: AudioStorage

    def stream(self, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Bytes ``start``..``end`` inclusive, in chunks."""
        return self.storage.open(self.key, start, end)


class GetChapterAudio:
    """Locate a chapter's audio. Raises BookNotFound, ChapterNotFound, RenditionNotFound
    or AudioNotFound."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory, storage: AudioStorage) -> None:
        self._uow = uow_factory
        self._storage = storage

    async def __call__(self, ref: ChapterRef) -> AudioFile:
        async with self._uow() as uow:
            view = await load_chapter(uow, ref)
        if view.audio is None:
            raise AudioNotFound(f"chapter {ref.number} of book {ref.book_id} has no audio yet")
        key = view.audio.audio_key
        size = await self._storage.size(key)
        url = await self._storage.url(key)
        return AudioFile(key, size, url, self._storage)


__all__ = ["AudioFile", "GetChapterAudio"]
