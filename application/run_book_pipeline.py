"""RunBookPipeline: metadata -> outline -> chapters (summary, speech, store) -> finish.

Run by the worker with a job id. The job row is the truth: progress and current_step
are written as each step completes. Completed chapters are skipped, so a retried or
resumed job never redoes finished work and never duplicates a row.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.audio import scan_mp3
from domain.book import Book, BookIsbn, Edition
from domain.chapter import Chapter, ChapterOutline, audio_key
from domain.errors import Conflict, DomainError, JobInterrupted, NoChapters, UpstreamError
from domain.isbn import Isbn
from domain.job import Job, JobError, JobStatus
from domain.speech import VoiceType

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from uuid import UUID

    from application.ports import (
        AudioStorage,
        BookMetadataSource,
        ChapterPlanner,
        Clock,
        IdGenerator,
        SpeechSynthesizer,
        Summarizer,
        UnitOfWorkFactory,
    )

METADATA_DONE = 10
OUTLINE_DONE = 20
CHAPTERS_DONE = 95


@dataclass(frozen=True, slots=True)
class RunBookPipelineCommand:
    """Which job to run, and how many attempts the queue allows in all."""

    job_id: UUID
    max_attempts: int = 1


@dataclass(frozen=True, slots=True)
class PipelineLimits:
    """Tunables: chapters summarised at once, and the most chapters a book may have."""

    chapter_concurrency: int = 3
    max_chapters: int = 40


class RunBookPipeline:
    """Run one attempt of a book job and return the job as it ended.

    A non-retryable domain error fails the job at once. A transient error (or a bug)
    is re-raised for the queue to retry, unless this was the last attempt, in which
    case the job is failed with it: a job is never left ``processing`` by a failure.
    """

    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        metadata: BookMetadataSource,
        planner: ChapterPlanner,
        summarizer: Summarizer,
        speech: SpeechSynthesizer,
        storage: AudioStorage,
        clock: Clock,
        ids: IdGenerator,
        limits: PipelineLimits | None = None,
    ) -> None:
        self._uow = uow_factory
        self._metadata = metadata
        self._planner = planner
        self._summarizer = summarizer
        self._speech = speech
        self._storage = storage
        self._clock = clock
        self._ids = ids
        self._limits = limits or PipelineLimits()
        self._job_lock = asyncio.Lock()

    async def __call__(self, command: RunBookPipelineCommand) -> Job | None:
        job = await self._begin(command.job_id)
        if job is None:
            return None
        try:
            book, edition = await self._resolve_book(job)
            outline = await self._outline(job, book, edition)
            await self._chapters(job, book, outline)
            return await self._finish(job, book, outline)
        except JobInterrupted:
            return await self._current(job.id)
        except DomainError as exc:
            if exc.retryable and job.attempts < command.max_attempts:
                raise
            return await self._fail(job, exc.code, exc.message)
        except Exception as exc:
            if job.attempts < command.max_attempts:
                raise
            return await self._fail(job, "internal_error", f"{type(exc).__name__}: {exc}")

    # --- steps ----------------------------------------------------------------------------

    async def _begin(self, job_id: UUID) -> Job | None:
        """Start an attempt; None when the job is gone, finished, or just taken by another."""
        async with self._uow() as uow:
            stored = await uow.jobs.get(job_id)
            if stored is None or not stored.is_active:
                return None
            job = stored.begin_attempt(self._clock.now())
            if not await uow.jobs.save_if(job, status=stored.status, attempts=stored.attempts):
                return None
            await uow.commit()
            return job

    async def _resolve_book(self, job: Job) -> tuple[Book, Edition]:
        isbn = Isbn(job.isbn)
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
        await self._update(job, lambda j: j.with_book(book.id, self._clock.now()))
        await self._progress(job, METADATA_DONE, "metadata")
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

    async def _outline(self, job: Job, book: Book, edition: Edition) -> list[ChapterOutline]:
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
        await self._progress(job, OUTLINE_DONE, f"outline: {len(outline)} chapters")
        return outline

    async def _chapters(self, job: Job, book: Book, outline: list[ChapterOutline]) -> None:
        async with self._uow() as uow:
            existing = {c.number: c for c in await uow.chapters.list_for_book(book.id)}
        todo = [o for o in outline if not _complete(existing.get(o.number))]
        done = len(outline) - len(todo)
        gate = asyncio.Semaphore(self._limits.chapter_concurrency)
        options = job.options

        async def run(planned: ChapterOutline) -> None:
            nonlocal done
            async with gate:
                await self._check_active(job)
                await self._chapter(book, planned, existing.get(planned.number), options)
            done += 1
            share = (CHAPTERS_DONE - OUTLINE_DONE) * done // len(outline)
            await self._progress(job, OUTLINE_DONE + share, f"chapters: {done}/{len(outline)} done")

        await _run_all([run(o) for o in todo])

    async def _chapter(
        self,
        book: Book,
        planned: ChapterOutline,
        chapter: Chapter | None,
        options: dict[str, Any],
    ) -> None:
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
        if not chapter.summary:
            summary = await self._summarizer.summarize(book, planned)
            chapter = chapter.with_summary(summary, self._clock.now())
            await self._save_chapter(chapter)
        assert chapter.summary is not None  # noqa: S101 - set just above
        audio = await self._speech.synthesize(
            chapter.summary,
            language=book.language,
            voice=options.get("voice") or VoiceType.DEFAULT.value,
            speed=float(options.get("speed", 1.0)),
        )
        info = scan_mp3(audio)
        if info is None:
            raise UpstreamError(f"speech for chapter {planned.number} is not valid MP3")
        key = audio_key(book.id, planned.number)
        await self._storage.put(key, audio)
        url = f"/api/v1/books/{book.id}/chapters/{planned.number}/audio"
        await self._save_chapter(chapter.with_audio(key, info.duration_s, url, self._clock.now()))

    async def _finish(self, job: Job, book: Book, outline: Sequence[ChapterOutline]) -> Job:
        result = {"book_id": str(book.id), "chapters": len(outline)}
        return await self._update(job, lambda j: j.complete(result, self._clock.now()))

    # --- job row helpers ------------------------------------------------------------------

    async def _save_chapter(self, chapter: Chapter) -> None:
        async with self._uow() as uow:
            await uow.chapters.save(chapter)
            await uow.commit()

    async def _update(self, attempt: Job, change: Callable[[Job], Job]) -> Job:
        """Apply ``change`` to the stored job if this attempt still owns it.

        Raises JobInterrupted when the job was cancelled or another attempt began.
        """
        async with self._job_lock, self._uow() as uow:
            stored = await uow.jobs.get(attempt.id)
            if not _owned_by(stored, attempt):
                raise JobInterrupted(f"job {attempt.id} is no longer this attempt's")
            assert stored is not None  # noqa: S101 - checked by _owned_by
            changed = change(stored)
            if not await uow.jobs.save_if(
                changed, status=JobStatus.PROCESSING, attempts=attempt.attempts
            ):
                raise JobInterrupted(f"job {attempt.id} changed while it was being updated")
            await uow.commit()
            return changed

    async def _progress(self, attempt: Job, progress: int, step: str) -> None:
        await self._update(
            attempt,
            lambda j: j.advance(max(progress, j.progress), step, self._clock.now()),
        )

    async def _check_active(self, attempt: Job) -> None:
        async with self._uow() as uow:
            stored = await uow.jobs.get(attempt.id)
        if not _owned_by(stored, attempt):
            raise JobInterrupted(f"job {attempt.id} is no longer this attempt's")

    async def _current(self, job_id: UUID) -> Job | None:
        async with self._uow() as uow:
            return await uow.jobs.get(job_id)

    async def _fail(self, attempt: Job, code: str, message: str) -> Job | None:
        try:
            return await self._update(
                attempt, lambda j: j.fail(JobError(code, message), self._clock.now())
            )
        except JobInterrupted:
            return await self._current(attempt.id)


def _owned_by(stored: Job | None, attempt: Job) -> bool:
    return (
        stored is not None
        and stored.status is JobStatus.PROCESSING
        and stored.attempts == attempt.attempts
    )


def _complete(chapter: Chapter | None) -> bool:
    return chapter is not None and chapter.is_complete


def _isbn_rows(book_id: UUID, editions: Sequence[Edition]) -> list[BookIsbn]:
    rows: dict[str, BookIsbn] = {}
    for edition in editions:
        for isbn in (edition.isbn, *edition.other_isbns):
            for row in BookIsbn.all_for(book_id, isbn):
                rows[row.isbn] = row
    return list(rows.values())


async def _run_all(coroutines: Sequence[Any]) -> None:
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
    for task in done:
        error = task.exception()
        if error is not None:
            raise error


__all__ = ["PipelineLimits", "RunBookPipeline", "RunBookPipelineCommand"]
