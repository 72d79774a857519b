"""ProduceBook: the job that makes a book found by ISBN.

metadata -> outline -> chapters (summary, then speech into the job's rendition) -> result.
Run by the job runner with one attempt of a ``process_book`` job. Progress and
current_step are written to the job as each step completes. Summaries and audio already
made are reused, so a retried or resumed job never redoes finished work, and a new recipe
for a book whose summaries exist only speaks them again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from application.books.speak_rendition import run_limited
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
        GenreTagger,
        Summarizer,
    )
    from application.books.speak_rendition import SpeakRendition
    from application.jobs.runner import JobAttempt
    from application.shared.ports import Clock, IdGenerator

METADATA_DONE = 10
OUTLINE_DONE = 20
CHAPTERS_DONE = 95


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
        tag_genres: GenreTagger | None = None,
    ) -> None:
        self._uow = uow_factory
        self._metadata = metadata
        self._planner = planner
        self._summarizer = summarizer
        self._speak = speak
        self._clock = clock
        self._ids = ids
        self._limits = limits or ProductionLimits()
        self._tag_genres = tag_genres

    async def __call__(self, attempt: JobAttempt) -> dict[str, Any]:
        """Raises domain errors (retryable ones are retried by the runner)."""
        job = attempt.job
        if job.isbn is None:
            raise ValidationFailed(f"job {job.id} has no ISBN to make a book from")
        book, edition = await self._resolve_book(Isbn(job.isbn))
        if self._tag_genres is not None and edition.subjects:
            await self._tag_genres(book.id, edition.subjects)
        await attempt.set_book(book.id)
        await attempt.progress(METADATA_DONE, "metadata")
        outline = await self._outline(book, edition)
        await attempt.progress(OUTLINE_DONE, f"outline: {len(outline)} chapters")
        opened = await self._speak.open(book, job.recipe)
        async with self._uow() as uow:
            existing = {c.number: c for c in await uow.chapters.list_for_book(book.id)}
        done = sum(
            1 for o in outline if o.number in opened.spoken and _summarised(existing.get(o.number))
        )

        async def chapter(planned: ChapterOutline) -> None:
            nonlocal done
            await attempt.check_active()
            made = existing.get(planned.number)
            if not _summarised(made):
                made = await self._summarize(book, planned, made)
                await attempt.check_active()  # cancelled meanwhile: speak nothing more
            assert made is not None and made.summary  # noqa: S101 - summarised above
            await self._speak.speak(book, opened.rendition, made.number, made.summary)
            done += 1
            share = (CHAPTERS_DONE - OUTLINE_DONE) * done // len(outline)
            await attempt.progress(OUTLINE_DONE + share, f"chapters: {done}/{len(outline)} done")

        todo = [
            o
            for o in outline
            if o.number not in opened.spoken or not _summarised(existing.get(o.number))
        ]
        await run_limited(
            [functools.partial(chapter, o) for o in todo], self._limits.chapter_concurrency
        )
        rendition = await self._speak.complete(opened.rendition)
        return {
            "book_id": str(book.id),
            "rendition_id": str(rendition.id),
            "chapters": len(outline),
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


def _summarised(chapter: Chapter | None) -> bool:
    return chapter is not None and bool(chapter.summary)


def _isbn_rows(book_id: UUID, editions: Sequence[Edition]) -> list[BookIsbn]:
    rows: dict[str, BookIsbn] = {}
    for edition in editions:
        for isbn in (edition.isbn, *edition.other_isbns):
            for row in BookIsbn.all_for(book_id, isbn):
                rows[row.isbn] = row
    return list(rows.values())


__all__ = ["ProduceBook", "ProductionLimits"]
