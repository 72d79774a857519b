"""SAQ task functions: thin wrappers that resolve a use case from the container and run it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from entrypoints.factories import MAX_JOB_ATTEMPTS
from entrypoints.jobs import run_book_job
from entrypoints.worker.recovery import recover

if TYPE_CHECKING:
    from entrypoints.container import Container


def _container(ctx: dict[str, Any]) -> Container:
    container: Container = ctx["container"]
    return container


async def process_book(ctx: dict[str, Any], *, job_id: str) -> None:
    """Run one attempt of the book job ``job_id``; what it raises, SAQ retries."""
    await run_book_job(_container(ctx), UUID(job_id), MAX_JOB_ATTEMPTS)


async def recover_jobs(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron: re-queue or fail jobs nothing will run, and remove orphaned temp files."""
    report = await recover(_container(ctx))
    return report.as_dict()


__all__ = ["process_book", "recover_jobs"]
