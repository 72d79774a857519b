"""InProcessJobQueue: runs book jobs as asyncio tasks in this process.

At most ``max_jobs`` run at once; a failed run is retried with exponential backoff
(the job row decides when attempts are used up); ``cancel`` interrupts a job;
``aclose`` stops taking jobs, lets running ones finish for a grace period, then
cancels the rest, which stay ``processing`` in the database and are resumed at the
next start.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

import structlog

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

    def __init__(
        self,
        runner: Callable[[UUID, int], Awaitable[object]] | None = None,
        *,
        max_jobs: int = 5,
        max_attempts: int = 3,
        retry_delay_s: float = 1.0,
    ) -> None:
        self._runner = runner
        self._slots = asyncio.Semaphore(max_jobs)
        self._max_attempts = max_attempts
        self._retry_delay_s = retry_delay_s
        self._tasks: dict[UUID, asyncio.Task[None]] = {}
        self._closed = False

    def set_runner(self, runner: Callable[[UUID, int], Awaitable[object]]) -> None:
        """Set what runs a job: ``runner(job_id, max_attempts)``."""
        self._runner = runner

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
        """True while the job's task is waiting for a slot or running."""
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
        if self._runner is None:
            raise RuntimeError("InProcessJobQueue has no runner")
        async with self._slots:
            for attempt in range(1, self._max_attempts + 1):
                try:
                    await self._runner(job_id, self._max_attempts)
                    return
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("job attempt failed", job_id=str(job_id), attempt=attempt)
                    if attempt == self._max_attempts:
                        return
                delay = self._retry_delay_s * 2 ** (attempt - 1)
                await asyncio.sleep(random.uniform(delay / 2, delay))
