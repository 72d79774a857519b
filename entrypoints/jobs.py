"""Running a book job: the one function both the in-process queue and the SAQ worker call."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from application.run_book_pipeline import RunBookPipelineCommand

if TYPE_CHECKING:
    from uuid import UUID

    from entrypoints.container import Container

log = structlog.get_logger(__name__)


async def run_book_job(container: Container, job_id: UUID, max_attempts: int) -> None:
    """Run one attempt of the pipeline for ``job_id``; errors to retry propagate.

    Everything logged meanwhile carries the job id and the request id of the HTTP request
    that created the job (kept on the job row), so one id follows a book from the request
    to its last chapter, in whichever process runs it.
    """
    async with container.uow_factory()() as uow:
        stored = await uow.jobs.get(job_id)
    request_id = stored.request_id if stored is not None else None
    with structlog.contextvars.bound_contextvars(job_id=str(job_id), request_id=request_id):
        pipeline = container.run_book_pipeline()
        job = await pipeline(RunBookPipelineCommand(job_id, max_attempts))
        if job is not None:
            log.info("job attempt ended", status=str(job.status), progress=job.progress)
