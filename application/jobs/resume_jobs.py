"""ResumeJobs: queue again every job left unfinished (after a restart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from application.jobs.ports import JobQueue, JobsUnitOfWorkFactory


class ResumeJobs:
    """Enqueue every pending or processing job; returns how many. Completed chapters are
    skipped by the pipeline, so a resumed job costs only the chapters left."""

    def __init__(self, *, uow_factory: JobsUnitOfWorkFactory, queue: JobQueue) -> None:
        self._uow = uow_factory
        self._queue = queue

    async def __call__(self) -> int:
        async with self._uow() as uow:
            jobs = await uow.jobs.list_active()
        for job in jobs:
            await self._queue.enqueue(job.id)
        return len(jobs)
