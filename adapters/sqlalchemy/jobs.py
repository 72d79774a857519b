"""SqlAlchemyJobRepository: jobs, at most one active per (owner, source, recipe)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository, unique_rule
from adapters.sqlalchemy.tables.jobs import ACTIVE_JOB_INDEX, jobs
from application.shared.ports import Page, PageRequest
from domain.errors import Conflict
from domain.job import ACTIVE_STATUSES, Job, JobError, JobSource, JobStatus, SourceKind
from domain.recipe import Mode, Recipe
from domain.speech import SpeechOptions

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

_ACTIVE = sorted(ACTIVE_STATUSES)

unique_rule(
    ACTIVE_JOB_INDEX,
    "jobs.owner_id, jobs.source_kind, jobs.source_ref, jobs.recipe_key",
    Conflict("an active job for this book and recipe already exists"),
)


class SqlAlchemyJobRepository(SqlRepository):
    """JobRepository over the ``jobs`` table.

    The partial unique index ``uq_jobs_active_owner_source_recipe`` enforces the one-active-job
    rule in the database, so it holds for concurrent requests too; ``add`` writes at
    once and raises Conflict when the rule would break.
    """

    async def get(self, job_id: UUID) -> Job | None:
        return await self._one(sa.select(jobs).where(jobs.c.id == job_id))

    async def find_active(self, owner_id: UUID, source: JobSource, recipe_key: str) -> Job | None:
        query = sa.select(jobs).where(
            jobs.c.owner_id == owner_id,
            jobs.c.source_kind == source.kind,
            jobs.c.source_ref == source.ref,
            jobs.c.recipe_key == recipe_key,
            jobs.c.status.in_(_ACTIVE),
        )
        return await self._one(query.limit(1))

    async def list_for_owner(self, owner_id: UUID, page: PageRequest) -> Page[Job]:
        mine = jobs.c.owner_id == owner_id
        count = sa.select(sa.func.count()).select_from(jobs).where(mine)
        total = (await self._session.execute(count)).scalar_one()
        query = (
            sa.select(jobs)
            .where(mine)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .offset(page.offset)
            .limit(page.limit)
        )
        return Page(await self._all(query), total, page.limit, page.offset)

    async def list_active(self) -> list[Job]:
        query = sa.select(jobs).where(jobs.c.status.in_(_ACTIVE))
        return await self._all(query.order_by(jobs.c.created_at, jobs.c.id))

    async def list_quiet(self, updated_before: datetime) -> list[Job]:
        query = sa.select(jobs).where(
            jobs.c.status.in_(_ACTIVE), jobs.c.updated_at < updated_before
        )
        return await self._all(query.order_by(jobs.c.created_at, jobs.c.id))

    async def add(self, job: Job) -> None:
        """Insert a job. Raises Conflict when the owner already has an active job for the
        same source and recipe."""
        await self._write(sa.insert(jobs).values(_row(job)))

    async def save(self, job: Job) -> None:
        """Insert or update the job by id."""
        await self._write(self._upsert(jobs, [_row(job)], key=["id"]))

    async def save_if(self, job: Job, *, status: JobStatus, attempts: int) -> bool:
        """Update the job only if its row still has ``status`` and ``attempts``."""
        statement = (
            sa.update(jobs)
            .where(jobs.c.id == job.id, jobs.c.status == status, jobs.c.attempts == attempts)
            .values(_row(job))
        )
        result = await self._session.execute(statement)
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def _one(self, query: sa.Select[Any]) -> Job | None:
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _job(row)

    async def _all(self, query: sa.Select[Any]) -> list[Job]:
        return [_job(row) for row in (await self._session.execute(query)).mappings()]


def _row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "owner_id": job.owner_id,
        "kind": job.kind,
        "status": job.status,
        "source_kind": job.source.kind,
        "source_ref": job.source.ref,
        "mode": job.recipe.mode.value,
        "provider": job.recipe.speech.provider,
        "voice": job.recipe.speech.voice,
        "speed": job.recipe.speech.speed,
        "recipe_key": job.recipe.key,
        "progress": job.progress,
        "current_step": job.current_step,
        "book_id": job.book_id,
        "result": job.result,
        "error_code": None if job.error is None else job.error.code,
        "error_message": None if job.error is None else job.error.message,
        "attempts": job.attempts,
        "request_id": job.request_id,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _job(row: Any) -> Job:
    error = None
    if row["error_code"] is not None:
        error = JobError(row["error_code"], row["error_message"] or "")
    return Job(
        id=row["id"],
        owner_id=row["owner_id"],
        source=JobSource(SourceKind(row["source_kind"]), row["source_ref"]),
        recipe=Recipe(
            Mode(row["mode"]), SpeechOptions(row["provider"], row["voice"], row["speed"])
        ),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        kind=row["kind"],
        status=row["status"],
        progress=row["progress"],
        current_step=row["current_step"],
        book_id=row["book_id"],
        result=row["result"],
        error=error,
        attempts=row["attempts"],
        request_id=row["request_id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )
