"""InProcessJobQueue: runs jobs as asyncio tasks in this process (the embedded mode).

At most ``max_jobs`` run at once. What runs a job is ``run(job_id)``, the job runner's
``run``: when it raises ``RetryJob`` the job is run again after the delay the runner asks
for (the runner alone counts attempts and decides when to stop); when it returns, the job
is done. ``cancel`` interrupts a job; ``aclose`` stops taking jobs, lets running ones
finish for a grace period, then cancels the rest, which stay ``processing`` in the
database and are resumed at the next start.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog

from application.jobs.runner import RetryJob
from domain.errors import TransientUpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

log = structlog.get_logger(__name__)


class QueueClosed(TransientUpstreamError):
    """The queue is shutting down and takes no new jobs."""

    code = "queue_closed"


class InProcessJobQueue:
    """JobQueue on asyncio tasks."""

    def __init__(self, run: Callable[[UUID], Awaitable[object]], *, max_jobs: int = 5) -> None:
        self._run_job = run
        self._slots = asyncio.Semaphore(max_jobs)
        self._tasks: dict[UUID, asyncio.Task[None]] = {}
        self._closed = False

    @property
    def running(self) -> set[UUID]:
        """Ids of jobs queued or running here."""
        return set(self._tasks)

    async def enqueue(self, job_id: UUID) -> None:
        """Start the job unless it is already queued or running here."""
        if self._closed:
            raise QueueClosed("the server is shutting down; try again shortly")
        if job_id in self._tasks:
            return
        task = asyncio.create_task(self._run(job_id), name=f"job-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(job_id, None))

    async def cancel(self, job_id: UUID) -> None:
        """Interrupt the job's task if it is here."""
        task = self._tasks.get(job_id)
        if task is not None:
            task.cancel()

    async def holds(self, job_id: UUID) -> bool:
        """True while the job's task is waiting for a slot, running, or waiting to retry."""
        return job_id in self._tasks

    async def ping(self) -> None:
        """Readiness: the in-process queue is up while it is open."""
        if self._closed:
            raise QueueClosed("the job queue is closed")

    async def aclose(self, timeout_s: float = 30.0) -> None:
        """Take no more jobs; wait up to ``timeout_s`` for running ones, then cancel the rest."""
        self._closed = True
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if pending:
            log.warning("jobs interrupted at shutdown; resumed at next start", count=len(pending))

    async def _run(self, job_id: UUID) -> None:
        while True:
            async with self._slots:
                try:
                    await self._run_job(job_id)
                    return
                except RetryJob as retry:
                    log.warning(
                        "job attempt failed; retrying",
                        job_id=str(job_id),
                        attempts=retry.attempts,
                        delay_s=round(retry.delay_s, 2),
                        error_code=getattr(retry.__cause__, "code", "internal_error"),
                        error=str(retry.__cause__),
                    )
                    delay = retry.delay_s
                except Exception:
                    log.exception("job runner failed", job_id=str(job_id))
                    return
            await asyncio.sleep(delay)  # the slot is free while the job waits


__all__ = ["InProcessJobQueue", "QueueClosed"]
