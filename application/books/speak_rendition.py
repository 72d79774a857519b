"""SpeakRendition: give every chapter of a book audio in one recipe (a rendition).

The rendition is found or created for (book, recipe); chapters that already have audio in
it are skipped, so a retried job, or a second user asking for the same recipe, costs no
speech call. Shared by every way a book is made (by ISBN now, from files next).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.audio import scan_mp3
from domain.errors import Conflict, UpstreamError
from domain.rendition import ChapterAudio, Rendition, chapter_audio_key

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from application.books.ports import AudioStorage, BooksUnitOfWorkFactory, SpeechEngines
    from application.shared.ports import Clock, IdGenerator
    from domain.book import Book
    from domain.chapter import Chapter
    from domain.recipe import Recipe


@dataclass(frozen=True, slots=True)
class SpokenRendition:
    """The rendition and how many of its chapters were spoken now (0 = all reused)."""

    rendition: Rendition
    spoken: int


class SpeakRendition:
    """Speak a book's chapters in a recipe, concurrently under ``concurrency``."""

    def __init__(
        self,
        *,
        uow_factory: BooksUnitOfWorkFactory,
        engines: SpeechEngines,
        storage: AudioStorage,
        clock: Clock,
        ids: IdGenerator,
        concurrency: int = 3,
    ) -> None:
        self._uow = uow_factory
        self._engines = engines
        self._storage = storage
        self._clock = clock
        self._ids = ids
        self._concurrency = concurrency

    async def __call__(
        self,
        book: Book,
        recipe: Recipe,
        chapters: Sequence[Chapter],
        text_of: Callable[[Chapter], str],
        on_spoken: Callable[[int, int], Awaitable[None]],
        before_each: Callable[[], Awaitable[None]],
    ) -> SpokenRendition:
        """Audio for each of ``chapters`` (their text from ``text_of``).

        ``on_spoken(done, total)`` is awaited after each chapter; ``before_each()`` before
        each one (it raises to stop, e.g. when the job was cancelled).
        """
        rendition = await self._rendition(book, recipe)
        async with self._uow() as uow:
            have = {a.number for a in await uow.renditions.audio(rendition.id)}
        todo = [c for c in chapters if c.number not in have]
        done = len(chapters) - len(todo)
        gate = asyncio.Semaphore(self._concurrency)
        engine = self._engines.engine(recipe.speech.provider)

        async def speak(chapter: Chapter) -> None:
            nonlocal done
            async with gate:
                await before_each()
                audio = await engine.synthesize(
                    text_of(chapter),
                    language=book.language,
                    voice=recipe.speech.voice,
                    speed=recipe.speech.speed,
                )
                info = scan_mp3(audio)
                if info is None:
                    raise UpstreamError(f"speech for chapter {chapter.number} is not valid MP3")
                key = chapter_audio_key(book.id, rendition.id, chapter.number)
                await self._storage.put(key, audio)
                async with self._uow() as uow:
                    await uow.renditions.save_audio(
                        ChapterAudio(
                            rendition.id, chapter.number, key, info.duration_s, self._clock.now()
                        )
                    )
                    await uow.commit()
            done += 1
            await on_spoken(done, len(chapters))

        await run_all([speak(c) for c in todo])
        rendition = await self._complete(rendition)
        return SpokenRendition(rendition, spoken=len(todo))

    async def _rendition(self, book: Book, recipe: Recipe) -> Rendition:
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

    async def _complete(self, rendition: Rendition) -> Rendition:
        if rendition.is_complete:
            return rendition
        async with self._uow() as uow:
            stored = await uow.renditions.get(rendition.id) or rendition
            completed = stored.completed(self._clock.now())
            await uow.renditions.save(completed)
            await uow.commit()
        return completed


async def run_all(coroutines: Sequence[Any]) -> None:
    """Run coroutines together; on the first error cancel the rest and raise that error."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    if not tasks:
        return
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    errors = [e for e in (task.exception() for task in done) if e is not None]
    if errors:
        raise errors[0]


__all__ = ["SpeakRendition", "SpokenRendition", "run_all"]
