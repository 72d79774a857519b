"""GetChapterAudio: where a chapter's MP3 is, and a way to stream it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.get_chapter import ChapterRef, load_chapter
from domain.errors import AudioNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.ports import AudioStorage, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ChapterAudio:
    """A chapter's audio: a URL to redirect to, or a size and a byte-range stream."""

    key: str
    size: int
    redirect_url: str | None
    storage: AudioStorage

    def stream(self, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Bytes ``start``..``end`` inclusive, in chunks."""
        return self.storage.open(self.key, start, end)


class GetChapterAudio:
    """Locate a chapter's audio. Raises BookNotFound, ChapterNotFound or AudioNotFound."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory, storage: AudioStorage) -> None:
        self._uow = uow_factory
        self._storage = storage

    async def __call__(self, ref: ChapterRef) -> ChapterAudio:
        async with self._uow() as uow:
            chapter = await load_chapter(uow, ref)
        if chapter.audio_key is None:
            raise AudioNotFound(f"chapter {ref.number} of book {ref.book_id} has no audio yet")
        size = await self._storage.size(chapter.audio_key)
        url = await self._storage.url(chapter.audio_key)
        return ChapterAudio(chapter.audio_key, size, url, self._storage)
