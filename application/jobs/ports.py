"""Ports of the jobs feature: the job rows and the queue that runs them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from application.shared.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from application.shared.ports import Page, PageRequest
    from domain.job import Job, JobSource, JobStatus


class JobRepository(Protocol):
    """Jobs."""

    async def get(self, job_id: UUID) -> Job | None: ...
    async def find_active(self, owner_id: UUID, source: JobSource, recipe_key: str) -> Job | None:
        """The owner's pending or processing job for this source and recipe, if any."""
        ...

    async def list_for_owner(self, owner_id: UUID, page: PageRequest) -> Page[Job]:
        """The owner's jobs, newest first."""
        ...

    async def list_active(self) -> list[Job]:
        """Every pending or processing job, oldest first (for resuming after a restart)."""
        ...

    async def list_quiet(self, updated_before: datetime) -> list[Job]:
        """Active (pending or processing) jobs whose row has not changed since
        ``updated_before``, oldest first: candidates for recovery."""
        ...

    async def add(self, job: Job) -> None:
        """Insert a job. Raises Conflict when the owner already has an active job for the
        same source and recipe."""
        ...

    async def save(self, job: Job) -> None: ...
    async def save_if(self, job: Job, *, status: JobStatus, attempts: int) -> bool:
        """Save ``job`` only if the stored row still has ``status`` and ``attempts``.

        The compare-and-set that keeps a job's status true under concurrency: a cancel
        racing a progress write, or two workers starting the same job. False when the
        row changed meanwhile (nothing is written).
        """
        ...


class JobsUnitOfWork(UnitOfWork, Protocol):
    """A transaction over job rows."""

    @property
    def jobs(self) -> JobRepository: ...


JobsUnitOfWorkFactory = UnitOfWorkFactory[JobsUnitOfWork]


class JobQueue(Protocol):
    """Runs jobs in the background; carries only the job id."""

    async def enqueue(self, job_id: UUID) -> None:
        """Queue the job; enqueuing an id already queued or running does nothing."""
        ...

    async def cancel(self, job_id: UUID) -> None:
        """Stop the job: drop it if queued, interrupt it if running."""
        ...

    async def ping(self) -> None:
        """Raise if the queue cannot take jobs now (readiness)."""
        ...

    async def holds(self, job_id: UUID) -> bool:
        """True while the queue will still run the job: waiting, scheduled or running."""
        ...


__all__ = ["JobQueue", "JobRepository", "JobsUnitOfWork", "JobsUnitOfWorkFactory"]
