"""SubmitJob: save a new job and queue it, or return the caller's job already doing the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import Conflict, TransientUpstreamError
from domain.job import JobStatus

if TYPE_CHECKING:
    from application.jobs.ports import JobQueue, JobsUnitOfWorkFactory
    from domain.job import Job


@dataclass(frozen=True, slots=True)
class Submitted:
    """The job doing the work; ``created`` is False when it was already in flight."""

    job: Job
    created: bool


class SubmitJob:
    """De-duplicate per owner, source and recipe; save; enqueue.

    Used by every feature that starts background work (books by ISBN, uploads).
    """

    def __init__(self, *, uow_factory: JobsUnitOfWorkFactory, queue: JobQueue) -> None:
        self._uow = uow_factory
        self._queue = queue

    async def __call__(self, job: Job) -> Submitted:
        """Raises TransientUpstreamError when the queue is down (the job stays saved)."""
        async with self._uow() as uow:
            existing = await uow.jobs.find_active(job.owner_id, job.source, job.recipe.key)
            if existing is None:
                try:
                    await uow.jobs.add(job)
                    await uow.commit()
                except Conflict:
                    # Another request created it between our read and our insert.
                    await uow.rollback()
                    existing = await uow.jobs.find_active(job.owner_id, job.source, job.recipe.key)
                    if existing is None:
                        raise
        submitted = Submitted(existing or job, created=existing is None)
        if submitted.job.status is JobStatus.PENDING:
            await self._enqueue(submitted.job)
        return submitted

    async def _enqueue(self, job: Job) -> None:
        """Queue the job (again: enqueueing is idempotent, so a job whose first enqueue
        failed is queued by the next submission of the same work, or at the next start)."""
        try:
            await self._queue.enqueue(job.id)
        except Exception as exc:
            raise TransientUpstreamError(
                "the job queue is unavailable; the job is saved and will be queued "
                "when you submit again"
            ) from exc


__all__ = ["SubmitJob", "Submitted"]
