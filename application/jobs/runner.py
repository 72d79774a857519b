"""The job runner: one attempt of any job, by kind, under one attempt budget.

Every executor calls it: the in-process queue (embedded mode and ``bookbytes process
--local``) and the SAQ worker. The runner owns the job row's life: it begins an attempt
(compare-and-set, so two executors never run the same attempt), hands the attempt to the
use case registered for the job's kind, and completes or fails the job from what that use
case returns or raises. Whether to try again is decided here and only here:

- a non-retryable domain error fails the job at once with its code;
- a retryable error (or a bug) raises ``RetryJob`` while attempts are left, and the
  executor runs the job again after ``JobRetryPolicy.delay``; on the last attempt the job
  is failed with the error, so a job is never left ``processing`` by a failure;
- a job found ``processing`` with its budget used up (its process died mid-attempt, again
  and again) is failed with ``attempts_exhausted`` instead of being started once more;
- an outage of our own database or Redis (``InfrastructureUnavailable``) costs no attempt:
  the attempt waits for it with backoff for up to ``outage_tolerance_s`` and goes on (its
  finished work is kept); an outage before the attempt began asks for a retry without
  counting one.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from domain.errors import DomainError, InfrastructureUnavailable, JobInterrupted
from domain.job import Job, JobError, JobKind, JobStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from uuid import UUID

    from application.jobs.ports import JobsUnitOfWorkFactory
    from application.shared.ports import Clock

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_OUTAGE_TOLERANCE_S = 120.0
OUTAGE_WAIT_MAX_S = 10.0


@dataclass(frozen=True, slots=True)
class JobRetryPolicy:
    """How long an executor waits before attempt ``n + 1`` of a job (jittered backoff)."""

    base_delay_s: float = 5.0
    max_delay_s: float = 300.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after ``attempts`` attempts (1 = after the first)."""
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** max(attempts - 1, 0))
        return random.uniform(ceiling / 2, ceiling)


class RetryJob(Exception):
    """Raised to an executor: run the job again later (after ``delay_s``)."""

    def __init__(self, job_id: UUID, attempts: int, delay_s: float, cause: BaseException) -> None:
        super().__init__(f"job {job_id} attempt {attempts} failed ({cause!r}); retry later")
        self.job_id = job_id
        self.attempts = attempts
        self.delay_s = delay_s


class JobAttempt:
    """One attempt of a job, as the use case doing it sees it: record progress and the
    book, check that the attempt still owns the job.

    Every write is a compare-and-set on (processing, attempts): when the job was cancelled
    or another attempt took it over, the write raises JobInterrupted and the attempt stops.
    """

    def __init__(self, job: Job, uow_factory: JobsUnitOfWorkFactory, clock: Clock) -> None:
        self.job = job
        self._uow = uow_factory
        self._clock = clock
        self._lock = asyncio.Lock()

    async def update(self, change: Callable[[Job], Job]) -> Job:
        """Apply ``change`` to the stored job if this attempt still owns it."""
        async with self._lock, self._uow() as uow:
            stored = await uow.jobs.get(self.job.id)
            if not self._owns(stored):
                raise JobInterrupted(f"job {self.job.id} is no longer this attempt's")
            assert stored is not None  # noqa: S101 - checked by _owns
            changed = change(stored)
            if not await uow.jobs.save_if(
                changed, status=JobStatus.PROCESSING, attempts=self.job.attempts
            ):
                raise JobInterrupted(f"job {self.job.id} changed while it was being updated")
            await uow.commit()
            self.job = changed
            return changed

    async def progress(self, progress: int, step: str) -> None:
        """Record progress (never lower than before) and the current step."""
        await self.update(lambda j: j.advance(max(progress, j.progress), step, self._clock.now()))

    async def set_book(self, book_id: UUID) -> None:
        """Record which book the job is about."""
        await self.update(lambda j: j.with_book(book_id, self._clock.now()))

    async def check_active(self) -> None:
        """Raise JobInterrupted when the job was cancelled or taken over."""
        async with self._uow() as uow:
            stored = await uow.jobs.get(self.job.id)
        if not self._owns(stored):
            raise JobInterrupted(f"job {self.job.id} is no longer this attempt's")

    def _owns(self, stored: Job | None) -> bool:
        return (
            stored is not None
            and stored.status is JobStatus.PROCESSING
            and stored.attempts == self.job.attempts
        )


class JobHandler(Protocol):
    """The use case doing one kind of job: runs an attempt, returns the job's result."""

    async def __call__(self, attempt: JobAttempt) -> dict[str, Any]: ...


class JobRunner:
    """Run one attempt of a job with the handler registered for its kind."""

    def __init__(
        self,
        *,
        uow_factory: JobsUnitOfWorkFactory,
        clock: Clock,
        handlers: Mapping[str, JobHandler],
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry: JobRetryPolicy | None = None,
        outage_tolerance_s: float = DEFAULT_OUTAGE_TOLERANCE_S,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._handlers = {JobKind(kind): handler for kind, handler in handlers.items()}
        self.max_attempts = max_attempts
        self.retry = retry or JobRetryPolicy()
        self._outage_tolerance_s = outage_tolerance_s

    async def run(self, job_id: UUID) -> Job | None:
        """Run one attempt; return the job as it ended (None when there was nothing to run).

        Raises:
            RetryJob: the attempt failed in a way another attempt may fix.
        """
        try:
            job = await self._begin(job_id)
        except InfrastructureUnavailable as exc:  # no attempt began: none is spent
            raise RetryJob(job_id, 0, self.retry.delay(1), exc) from exc
        if job is None:
            return None
        try:
            return await self._attempt(job)
        except InfrastructureUnavailable as exc:  # the outage outlasted the tolerance
            raise self._retry(job, exc) from exc

    async def _attempt(self, job: Job) -> Job | None:
        handler = self._handlers.get(job.kind)
        if handler is None:
            return await self._fail(job, "unknown_job_kind", f"no use case runs {job.kind} jobs")
        attempt = JobAttempt(job, self._uow, self._clock)
        try:
            result = await self._through_outages(handler, attempt)
            return await attempt.update(lambda j: j.complete(result, self._clock.now()))
        except JobInterrupted:
            return await self._current(job.id)
        except InfrastructureUnavailable:
            raise
        except DomainError as exc:
            if exc.retryable and job.attempts_left(self.max_attempts):
                raise self._retry(job, exc) from exc
            return await self._fail(attempt.job, exc.code, exc.message)
        except Exception as exc:
            if job.attempts_left(self.max_attempts):
                raise self._retry(job, exc) from exc
            return await self._fail(attempt.job, "internal_error", f"{type(exc).__name__}: {exc}")

    async def _through_outages(self, handler: JobHandler, attempt: JobAttempt) -> dict[str, Any]:
        """Run the handler; while our database or Redis is down, wait and run it again in
        the same attempt (finished work is skipped), for up to the outage tolerance."""
        started = time.monotonic()
        wait = 0.5
        while True:
            try:
                return await handler(attempt)
            except InfrastructureUnavailable:
                if time.monotonic() - started + wait > self._outage_tolerance_s:
                    raise
                await asyncio.sleep(wait)
                wait = min(wait * 2, OUTAGE_WAIT_MAX_S)

    def _retry(self, job: Job, cause: BaseException) -> RetryJob:
        return RetryJob(job.id, job.attempts, self.retry.delay(job.attempts), cause)

    async def _begin(self, job_id: UUID) -> Job | None:
        """Start an attempt; None when the job is gone, finished, or just taken by another.

        A processing job whose attempts are used up is failed here instead.
        """
        async with self._uow() as uow:
            stored = await uow.jobs.get(job_id)
            if stored is None or not stored.is_active:
                return None
            now = self._clock.now()
            if stored.status is JobStatus.PROCESSING and not stored.attempts_left(
                self.max_attempts
            ):
                error = JobError(
                    "attempts_exhausted",
                    f"the job was interrupted in each of its {stored.attempts} attempts "
                    "(its process stopped or crashed); submit it again to retry",
                )
                ended = stored.fail(error, now)
                if await uow.jobs.save_if(ended, status=stored.status, attempts=stored.attempts):
                    await uow.commit()
                return None
            job = stored.begin_attempt(now)
            if not await uow.jobs.save_if(job, status=stored.status, attempts=stored.attempts):
                return None
            await uow.commit()
            return job

    async def _current(self, job_id: UUID) -> Job | None:
        async with self._uow() as uow:
            return await uow.jobs.get(job_id)

    async def _fail(self, job: Job, code: str, message: str) -> Job | None:
        attempt = JobAttempt(job, self._uow, self._clock)
        try:
            return await attempt.update(
                lambda j: j.fail(JobError(code, message), self._clock.now())
            )
        except JobInterrupted:
            return await self._current(job.id)


__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "JobAttempt",
    "JobHandler",
    "JobRetryPolicy",
    "JobRunner",
    "RetryJob",
]
