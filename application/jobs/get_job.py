"""GetJob: one of the caller's jobs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import JobNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.jobs.ports import JobsUnitOfWork, JobsUnitOfWorkFactory
    from domain.job import Job


@dataclass(frozen=True, slots=True)
class GetJobQuery:
    """Which job, asked by whom."""

    owner_id: UUID
    job_id: UUID


async def load_owned_job(uow: JobsUnitOfWork, owner_id: UUID, job_id: UUID) -> Job:
    """The job if it exists and belongs to ``owner_id``; another user's job is 'not found'."""
    job = await uow.jobs.get(job_id)
    if job is None or job.owner_id != owner_id:
        raise JobNotFound(f"no job {job_id}")
    return job


class GetJob:
    """Return a job the caller owns. Raises JobNotFound otherwise."""

    def __init__(self, *, uow_factory: JobsUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, query: GetJobQuery) -> Job:
        async with self._uow() as uow:
            return await load_owned_job(uow, query.owner_id, query.job_id)
