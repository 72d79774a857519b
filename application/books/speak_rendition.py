"""SpeakRendition: chapter audio in one recipe of a book (a rendition).

The rendition is found or created for (book, recipe) by ``open``; chapters that already
have audio in it are reported, so a retried job, or a second user asking for the same
recipe, costs no speech call. ``speak`` makes and stores one chapter's audio (brought to
the house loudness first, so chapters and engines sound alike); ``complete``
marks the rendition complete once every chapter has audio. Shared by every way a book is
made (by ISBN now, from files next).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.audio import scan_mp3
from domain.errors import Conflict, UpstreamError
from domain.rendition import ChapterAudio, Rendition, chapter_audio_key

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from application.books.ports import (
        AudioStorage,
        BooksUnitOfWorkFactory,
        LoudnessNormalizer,
        SpeechEngines,
    )
    from application.shared.ports import Clock, IdGenerator
    from domain.book import Book
    from domain.recipe import Recipe


@dataclass(frozen=True, slots=True)
class OpenRendition:
    """A rendition and the chapter numbers that already have audio in it."""

    rendition: Rendition
    spoken: frozenset[int]


class SpeakRendition:
    """Find or create a book's rendition in a recipe, and speak its chapters into it."""

    def __init__(
        self,
        *,
        uow_factory: BooksUnitOfWorkFactory,
        engines: SpeechEngines,
        storage: AudioStorage,
        loudness: LoudnessNormalizer,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow_factory
        self._engines = engines
        self._storage = storage
        self._loudness = loudness
        self._clock = clock
        self._ids = ids

    async def open(self, book: Book, recipe: Recipe) -> OpenRendition:
        """The book's rendition in ``recipe`` (made now if new) and what it already has."""
        rendition = await self._find_or_add(book, recipe)
        async with self._uow() as uow:
            spoken = frozenset(a.number for a in await uow.renditions.audio(rendition.id))
        return OpenRendition(rendition, spoken)

    async def speak(self, book: Book, rendition: Rendition, number: int, text: str) -> ChapterAudio:
        """Speak chapter ``number``'s ``text``, store the MP3 and record it.

        Raises UpstreamError when the engine's answer is not MP3 (or the engine's errors).
        """
        audio = await self.synthesize(book, rendition, text)
        return await self.store(book, rendition, number, audio)

    async def synthesize(self, book: Book, rendition: Rendition, text: str) -> bytes:
        """MP3 of ``text`` in the rendition's voice, nothing stored (a chapter spoken in
        parts, to resume at the part). Raises UpstreamError when the answer is not MP3."""
        speech = rendition.speech
        audio = await self._engines.engine(speech.provider).synthesize(
            text, language=book.language, voice=speech.voice, speed=speech.speed
        )
        if scan_mp3(audio) is None:
            raise UpstreamError(f"speech for {book.title!r} is not valid MP3")
        return audio

    async def store(
        self, book: Book, rendition: Rendition, number: int, audio: bytes
    ) -> ChapterAudio:
        """Store ``audio`` (MP3), at the house loudness, as chapter ``number``'s and
        record it."""
        audio = await self._loudness.normalize(audio)  # bytes that are not MP3 stay as given
        info = scan_mp3(audio)
        if info is None:
            raise UpstreamError(f"speech for chapter {number} is not valid MP3")
        key = chapter_audio_key(book.id, rendition.id, number)
        await self._storage.put(key, audio)
        spoken = ChapterAudio(rendition.id, number, key, info.duration_s, self._clock.now())
        async with self._uow() as uow:
            await uow.renditions.save_audio(spoken)
            await uow.commit()
        return spoken

    async def complete(self, rendition: Rendition) -> Rendition:
        """Mark the rendition complete (every chapter of the book has audio)."""
        if rendition.is_complete:
            return rendition
        async with self._uow() as uow:
            stored = await uow.renditions.get(rendition.id) or rendition
            completed = stored.completed(self._clock.now())
            await uow.renditions.save(completed)
            await uow.commit()
        return completed

    async def _find_or_add(self, book: Book, recipe: Recipe) -> Rendition:
        for _ in range(2):
            async with self._uow() as uow:
                found = await uow.renditions.find(book.id, recipe)
                if found is not None:
                    return found
                now = self._clock.now()
                rendition = Rendition(
                    self._ids.new_id(), book.id, recipe.mode, recipe.speech, now, now
                )
                try:
                    await uow.renditions.add(rendition)
                    await uow.commit()
                    return rendition
                except Conflict:
                    await uow.rollback()  # made by another job at the same moment: use it
        raise Conflict(f"the rendition of book {book.id} keeps changing")


async def run_limited(steps: Sequence[Callable[[], Awaitable[None]]], limit: int) -> None:
    """Run ``steps`` at most ``limit`` at a time, in order. After the first error no new
    step starts, the running ones are cancelled, and that error is raised."""
    waiting = list(reversed(steps))
    failed: list[BaseException] = []

    async def worker() -> None:
        while waiting and not failed:
            step = waiting.pop()
            try:
                await step()
            except Exception as exc:
                failed.append(exc)
                raise

    tasks = [asyncio.ensure_future(worker()) for _ in range(min(limit, len(steps)))]
    if not tasks:
        return
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if failed:
        raise failed[0]


__all__ = ["OpenRendition", "SpeakRendition", "run_limited"]
