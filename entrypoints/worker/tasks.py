"""SAQ task functions: thin wrappers that run a use case from the container."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.saq import run_saq_job
from entrypoints.jobs import logged_runs
from entrypoints.worker.recovery import recover

if TYPE_CHECKING:
    from entrypoints.container import Container


def _container(ctx: dict[str, Any]) -> Container:
    container: Container = ctx["container"]
    return container


async def run_job(ctx: dict[str, Any], *, job_id: str) -> None:
    """Run one attempt of job ``job_id`` (any kind); SAQ retries when the runner asks."""
    container = _container(ctx)
    run = logged_runs(container.jobs.runner(), container.core.uow_factory())
    await run_saq_job(ctx, run, job_id)


async def process_book(ctx: dict[str, Any], *, job_id: str) -> None:
    """The task name jobs queued before the job runner carry: the same as ``run_job``."""
    await run_job(ctx, job_id=job_id)


async def recover_jobs(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron: re-queue or fail jobs nothing will run, and remove orphaned temp files."""
    report = await recover(_container(ctx))
    return report.as_dict()


async def refresh_community(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron: recompute item-to-item similarities and every book's rating aggregate."""
    books = await _container(ctx).community.compute_similarities()()
    return {"books_with_neighbours": books}


__all__ = ["process_book", "recover_jobs", "refresh_community", "run_job"]
