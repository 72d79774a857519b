"""Running a job with its ids in the logs: what every executor calls (the in-process queue,
the SAQ worker's task, ``bookbytes process --local`` through the in-process queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    from application.jobs.ports import JobsUnitOfWorkFactory
    from application.jobs.runner import JobRunner
    from domain.job import Job

log = structlog.get_logger(__name__)


def logged_runs(
    runner: JobRunner, uow_factory: JobsUnitOfWorkFactory
) -> Callable[[UUID], Awaitable[Job | None]]:
    """``runner.run`` with every log line meanwhile carrying the job id and the request id
    of the HTTP request that created the job (kept on the job row), so one id follows a
    book from the request to its last chapter, in whichever process runs it."""

    async def run(job_id: UUID) -> Job | None:
        async with uow_factory() as uow:
            stored = await uow.jobs.get(job_id)
        request_id = stored.request_id if stored is not None else None
        with structlog.contextvars.bound_contextvars(job_id=str(job_id), request_id=request_id):
            job = await runner.run(job_id)
            if job is not None:
                log.info("job attempt ended", status=str(job.status), progress=job.progress)
            return job

    return run


__all__ = ["logged_runs"]
