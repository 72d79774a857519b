"""ProduceBook: the job that makes a book found by ISBN.

metadata -> outline -> summaries -> speech (a rendition) -> result. Run by the job runner
with one attempt of a ``process_book`` job. Progress and current_step are written to the
job as each step completes. Summaries and audio already made are reused, so a retried or
resumed job never redoes finished work, and a new recipe for a book whose summaries exist
only speaks them again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from application.books.speak_rendition import run_all
from domain.book import Book, BookIsbn, Edition
from domain.chapter import Chapter, ChapterOutline
from domain.errors import Conflict, NoChapters, UpstreamError, ValidationFailed
from domain.isbn import Isbn

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from application.books.ports import (
        BookMetadataSource,
        BooksUnitOfWorkFactory,
        ChapterPlanner,
        Summarizer,
    )
    from application.books.speak_rendition import SpeakRendition
    from application.jobs.runner import JobAttempt
    from application.shared.ports import Clock, IdGenerator

METADATA_DONE = 10
OUTLINE_DONE = 20
SUMMARIES_DONE = 60
SPEECH_DONE = 95


@dataclass(frozen=True, slots=True)
class ProductionLimits:
    """Tunables: chapters summarised at once, and the most chapters a book may have."""

    chapter_concurrency: int = 3
    max_chapters: int = 40


class ProduceBook:
    """Run one attempt of a book-by-ISBN job and return the job's result."""

    def __init__(
        self,
        *,
        uow_factory: BooksUnitOfWorkFactory,
        metadata: BookMetadataSource,
        planner: ChapterPlanner,
        summarizer: Summarizer,
        speak: SpeakRendition,
        clock: Clock,
        ids: IdGenerator,
        limits: ProductionLimits | None = None,
    ) -> None:
        self._uow = uow_factory
        self._metadata = metadata
        self._planner = planner
        self._summarizer = summarizer
        self._speak = speak
        self._clock = clock
        self._ids = ids
        self._limits = limits or ProductionLimits()

    async def __call__(self, attempt: JobAttempt) -> dict[str, Any]:
        """Raises domain errors (retryable ones are retried by the runner)."""
        job = attempt.job
        if job.isbn is None:
            raise ValidationFailed(f"job {job.id} has no ISBN to make a book from")
        book, edition = await self._resolve_book(Isbn(job.isbn))
        await attempt.set_book(book.id)
        await attempt.progress(METADATA_DONE, "metadata")
        outline = await self._outline(book, edition)
        await attempt.progress(OUTLINE_DONE, f"outline: {len(outline)} chapters")
        chapters = await self._summaries(attempt, book, outline)

        async def spoken(done: int, total: int) -> None:
            share = (SPEECH_DONE - SUMMARIES_DONE) * done // total
            await attempt.progress(SUMMARIES_DONE + share, f"speech: {done}/{total} chapters")

        made = await self._speak(
            book,
            job.recipe,
            chapters,
            text_of=lambda c: c.summary or c.title,
            on_spoken=spoken,
            before_each=attempt.check_active,
        )
        return {
            "book_id": str(book.id),
            "rendition_id": str(made.rendition.id),
            "chapters": len(chapters),
        }

    # --- steps ----------------------------------------------------------------------------

    async def _resolve_book(self, isbn: Isbn) -> tuple[Book, Edition]:
        edition = await self._metadata.lookup(isbn)
        same_language = [edition]
        try:
            others = await self._metadata.other_editions(edition)
        except UpstreamError:
            others = []  # grouping is best effort: the requested edition is enough
        same_language += [e for e in others if e.language == edition.language]
        try:
            book = await self._save_book(isbn, edition, same_language)
        except Conflict:
            # Another job created this work's book at the same moment: join it.
            book = await self._save_book(isbn, edition, same_language)
        return book, edition

    async def _save_book(self, isbn: Isbn, edition: Edition, editions: list[Edition]) -> Book:
        """Create or update the one Book of this work in this language; point every ISBN at it."""
        now = self._clock.now()
        async with self._uow() as uow:
            book = await uow.books.find_by_isbn(isbn)
            if book is None and edition.work_key:
                book = await uow.books.find_by_work(edition.work_key, edition.language)
            if book is None:
                book = Book.from_edition(self._ids.new_id(), edition, now)
            for candidate in editions:
                book = book.with_edition(candidate, now)
            await uow.books.save(book)
            await uow.books.add_isbns(_isbn_rows(book.id, editions))
            await uow.commit()
        return book

    async def _outline(self, book: Book, edition: Edition) -> list[ChapterOutline]:
        if edition.table_of_contents:
            outline = [
                ChapterOutline(number, title)
                for number, title in enumerate(edition.table_of_contents, start=1)
            ]
        else:
            outline = list(await self._planner.plan(book))
        outline = outline[: self._limits.max_chapters]
        if not outline:
            raise NoChapters(f"no chapters could be found for {book.title!r}")
        return outline

    async def _summaries(
        self, attempt: JobAttempt, book: Book, outline: list[ChapterOutline]
    ) -> list[Chapter]:
        """Every chapter with its summary, writing the missing ones."""
        async with self._uow() as uow:
            existing = {c.number: c for c in await uow.chapters.list_for_book(book.id)}
        chapters: dict[int, Chapter] = {}
        todo: list[ChapterOutline] = []
        for planned in outline:
            chapter = existing.get(planned.number)
            if chapter is not None and chapter.summary:
                chapters[planned.number] = chapter
            else:
                todo.append(planned)
        gate = asyncio.Semaphore(self._limits.chapter_concurrency)

        async def summarize(planned: ChapterOutline) -> None:
            async with gate:
                await attempt.check_active()
                chapters[planned.number] = await self._summarize(
                    book, planned, existing.get(planned.number)
                )
            share = (SUMMARIES_DONE - OUTLINE_DONE) * len(chapters) // len(outline)
            await attempt.progress(
                OUTLINE_DONE + share, f"summaries: {len(chapters)}/{len(outline)} chapters"
            )

        await run_all([summarize(o) for o in todo])
        return [chapters[o.number] for o in outline]

    async def _summarize(
        self, book: Book, planned: ChapterOutline, chapter: Chapter | None
    ) -> Chapter:
        now = self._clock.now()
        if chapter is None:
            chapter = Chapter(
                id=self._ids.new_id(),
                book_id=book.id,
                number=planned.number,
                title=planned.title,
                created_at=now,
                updated_at=now,
            )
        summary = await self._summarizer.summarize(book, planned)
        chapter = chapter.with_summary(summary, self._clock.now())
        async with self._uow() as uow:
            await uow.chapters.save(chapter)
            await uow.commit()
        return chapter


def _isbn_rows(book_id: UUID, editions: Sequence[Edition]) -> list[BookIsbn]:
    rows: dict[str, BookIsbn] = {}
    for edition in editions:
        for isbn in (edition.isbn, *edition.other_isbns):
            for row in BookIsbn.all_for(book_id, isbn):
                rows[row.isbn] = row
    return list(rows.values())


__all__ = ["ProduceBook", "ProductionLimits"]
