"""RecoverStuckJobs: queue again, or fail, the active jobs nothing will run any more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from domain.job import JobError, JobStatus

if TYPE_CHECKING:
    from application.jobs.ports import JobQueue, JobsUnitOfWorkFactory
    from application.shared.ports import Clock
    from domain.job import Job

DEFAULT_STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class RecoveredJobs:
    """What one recovery run did."""

    requeued: int = 0
    failed: int = 0


class RecoverStuckJobs:
    """Find active jobs unchanged for ``stale_after`` that the queue no longer holds.

    Such a job lost its worker, or its queue entry expired or was lost, or its first
    enqueue failed. It is queued again (the pipeline skips finished chapters) while it has
    attempts left; a processing job that used them all is failed with ``worker_lost``, so
    no job is ever left active with nothing to run it. A job the queue still holds is left
    to the queue (its own heartbeat sweep re-queues a dead worker's job).
    """

    def __init__(
        self,
        *,
        uow_factory: JobsUnitOfWorkFactory,
        queue: JobQueue,
        clock: Clock,
        max_attempts: int,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> None:
        self._uow = uow_factory
        self._queue = queue
        self._clock = clock
        self._max_attempts = max_attempts
        self._stale_after = stale_after

    async def __call__(self) -> RecoveredJobs:
        cutoff = self._clock.now() - self._stale_after
        async with self._uow() as uow:
            quiet = await uow.jobs.list_quiet(cutoff)
        requeued = failed = 0
        for job in quiet:
            if await self._queue.holds(job.id):
                continue
            if job.status is JobStatus.PROCESSING and job.attempts >= self._max_attempts:
                failed += await self._fail(job)
            else:
                await self._queue.enqueue(job.id)
                requeued += 1
        return RecoveredJobs(requeued, failed)

    async def _fail(self, seen: Job) -> int:
        """Fail the job unless it moved since it was seen; 1 if failed, else 0."""
        error = JobError(
            "worker_lost",
            f"the job was interrupted {seen.attempts} times (worker lost or timed out)",
        )
        async with self._uow() as uow:
            job = await uow.jobs.get(seen.id)
            if job is None or job.updated_at != seen.updated_at:
                return 0
            if not await uow.jobs.save_if(
                job.fail(error, self._clock.now()), status=job.status, attempts=job.attempts
            ):
                return 0
            await uow.commit()
        return 1
