"""In-memory repository of the jobs feature."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from adapters.memory.database import MemoryRepository
from application.shared.ports import Page
from domain.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from uuid import UUID

    from adapters.memory.database import MemoryDatabase, Staged
    from application.shared.ports import PageRequest
    from domain.job import Job, JobSource, JobStatus


def _active_twin(jobs: Iterable[Job], job: Job) -> Job | None:
    """Another active job of the same owner, source and recipe."""
    return next(
        (
            j
            for j in jobs
            if j.id != job.id
            and j.is_active
            and j.owner_id == job.owner_id
            and j.source == job.source
            and j.recipe.key == job.recipe.key
        ),
        None,
    )


class MemoryJobRepository(MemoryRepository):
    """JobRepository over dicts."""

    def _jobs(self) -> dict[UUID, Job]:
        return self._rows("jobs")

    async def get(self, job_id: UUID) -> Job | None:
        return self._jobs().get(job_id)

    async def find_active(self, owner_id: UUID, source: JobSource, recipe_key: str) -> Job | None:
        for job in self._jobs().values():
            if (
                job.owner_id == owner_id
                and job.source == source
                and job.recipe.key == recipe_key
                and job.is_active
            ):
                return job
        return None

    async def list_for_owner(self, owner_id: UUID, page: PageRequest) -> Page[Job]:
        jobs = sorted(
            (j for j in self._jobs().values() if j.owner_id == owner_id),
            key=lambda j: (j.created_at, str(j.id)),
            reverse=True,
        )
        return Page(
            jobs[page.offset : page.offset + page.limit], len(jobs), page.limit, page.offset
        )

    async def list_active(self) -> list[Job]:
        return sorted((j for j in self._jobs().values() if j.is_active), key=lambda j: j.created_at)

    async def list_quiet(self, updated_before: datetime) -> list[Job]:
        return [j for j in await self.list_active() if j.updated_at < updated_before]

    async def add(self, job: Job) -> None:
        if job.is_active and _active_twin(self._jobs().values(), job) is not None:
            raise Conflict("an active job for this book and recipe already exists")
        self._stage("jobs", job.id, job)

        def unique(db: MemoryDatabase) -> None:
            if job.is_active and _active_twin(db.table("jobs").values(), job) is not None:
                raise Conflict("an active job for this book and recipe already exists")

        self._check_at_commit(unique)

    async def save(self, job: Job) -> None:
        self._stage("jobs", job.id, job)

    async def save_if(self, job: Job, *, status: JobStatus, attempts: int) -> bool:
        stored = self._jobs().get(job.id)
        if stored is None or stored.status is not status or stored.attempts != attempts:
            return False
        self._stage("jobs", job.id, job)

        def unchanged(db: MemoryDatabase) -> None:
            current = db.table("jobs").get(job.id)
            if current is None or current.status is not status or current.attempts != attempts:
                raise Conflict(f"job {job.id} changed meanwhile")

        self._check_at_commit(unchanged)
        return True


class JobsRepositories:
    """The jobs feature's repository, for a memory unit of work."""

    _db: MemoryDatabase
    _staged: Staged

    @cached_property
    def jobs(self) -> MemoryJobRepository:
        return MemoryJobRepository(self._db, self._staged)


__all__ = ["JobsRepositories", "MemoryJobRepository"]
