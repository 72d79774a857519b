"""CancelJob: stop one of the caller's jobs; finished chapters are kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.jobs.get_job import load_owned_job
from domain.errors import Conflict

if TYPE_CHECKING:
    from uuid import UUID

    from application.jobs.ports import JobQueue, JobsUnitOfWorkFactory
    from application.shared.ports import Clock
    from domain.job import Job


@dataclass(frozen=True, slots=True)
class CancelJobCommand:
    """Which job, asked by whom."""

    owner_id: UUID
    job_id: UUID


_TRIES = 3  # the job may move (pending -> processing, progress) between read and write


class CancelJob:
    """Mark the job cancelled, then tell the queue to drop or interrupt it.

    Raises JobNotFound (not the caller's or unknown) or InvalidJobTransition (already finished).
    """

    def __init__(
        self, *, uow_factory: JobsUnitOfWorkFactory, queue: JobQueue, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._queue = queue
        self._clock = clock

    async def __call__(self, command: CancelJobCommand) -> Job:
        for _ in range(_TRIES):
            async with self._uow() as uow:
                job = await load_owned_job(uow, command.owner_id, command.job_id)
                cancelled = job.cancel(self._clock.now())
                if await uow.jobs.save_if(cancelled, status=job.status, attempts=job.attempts):
                    await uow.commit()
                    break
        else:
            raise Conflict("the job keeps changing; try again")
        await self._queue.cancel(command.job_id)
        return cancelled
