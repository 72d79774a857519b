"""SaqJobQueue: the JobQueue port on SAQ (Redis), for separate worker processes.

The SAQ job carries only the job id, which is also its key, so a second enqueue of a job
already queued or running is refused by SAQ itself. SAQ's job defaults (10 s timeout, one
attempt, no heartbeat) do not suit a book, so every job is enqueued with:

- ``timeout`` 2 h: a whole book, generously; past it SAQ cancels the run and retries it;
- ``heartbeat`` 20 s, refreshed every 5 s by the worker while the task runs: a job whose
  worker died stops beating, and SAQ's sweep (every 10 s on each worker) aborts and
  re-queues it within about half a minute;
- ``retries`` = the job runner's attempt budget (JOB_MAX_ATTEMPTS). The runner alone decides
  whether a failed attempt is retried (it raises ``RetryJob``) and after how long:
  ``run_saq_job`` hands that delay to SAQ, so SAQ and the in-process queue wait alike.

The Job row stays the truth: the runner writes status, progress and attempts; this
adapter only moves ids. ``state`` reports SAQ's view for the worker's recovery sweep.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

import structlog
from saq.job import TERMINAL_STATUSES, Job, Status

from adapters.saq.redis_queue import BookBytesRedisQueue
from application.jobs.runner import RetryJob
from domain.errors import TransientUpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

log = structlog.get_logger(__name__)

TASK_NAME = "run_job"
LEGACY_TASK_NAME = "process_book"  # what jobs queued before the job runner carry
QUEUE_NAME = "bookbytes"
JOB_TIMEOUT_S = 2 * 60 * 60
HEARTBEAT_S = 20
HEARTBEAT_EVERY_S = 5.0
RETRY_DELAY_S = 5.0
RETRY_BACKOFF_MAX_S = 300.0
RESULT_TTL_S = 3600
CANCELLED = "cancelled"


class QueueState(enum.StrEnum):
    """What SAQ knows of a job: waiting to run, running, or nothing that will run it."""

    WAITING = "waiting"
    RUNNING = "running"
    GONE = "gone"


class SaqJobQueue:
    """JobQueue on a SAQ Redis queue; workers run the ``run_job`` task."""

    def __init__(
        self,
        queue: BookBytesRedisQueue,
        *,
        max_attempts: int = 3,
        timeout_s: int = JOB_TIMEOUT_S,
        heartbeat_s: int = HEARTBEAT_S,
        retry_delay_s: float = RETRY_DELAY_S,
        retry_backoff_max_s: float = RETRY_BACKOFF_MAX_S,
    ) -> None:
        self._queue = queue
        self._max_attempts = max_attempts
        self._timeout_s = timeout_s
        self._heartbeat_s = heartbeat_s
        self._retry_delay_s = retry_delay_s
        self._retry_backoff_max_s = retry_backoff_max_s

    @classmethod
    def from_url(cls, url: str, *, name: str = QUEUE_NAME, **options: Any) -> SaqJobQueue:
        """A queue on the Redis at ``url`` (no I/O until first used)."""
        return cls(make_redis_queue(url, name), **options)

    @property
    def saq_queue(self) -> BookBytesRedisQueue:
        """The underlying SAQ queue (for workers and tests)."""
        return self._queue

    @property
    def max_attempts(self) -> int:
        """Attempts a job gets in all (the first run and its retries)."""
        return self._max_attempts

    async def enqueue(self, job_id: UUID) -> None:
        """Queue the job; an id already queued or running is left alone."""
        job = Job(
            function=TASK_NAME,
            kwargs={"job_id": str(job_id)},
            key=str(job_id),
            timeout=self._timeout_s,
            heartbeat=self._heartbeat_s,
            retries=self._max_attempts,
            retry_delay=self._retry_delay_s,
            retry_backoff=self._retry_backoff_max_s,
            ttl=RESULT_TTL_S,
        )
        if await self._queue.enqueue(job) is None:
            log.debug("job already queued or running", job_id=str(job_id))

    async def cancel(self, job_id: UUID) -> None:
        """Drop the job if queued (at once); abort it if running (the worker's abort poll
        cancels its task within about two seconds)."""
        job = await self._queue.job(str(job_id))
        if job is None or job.status in TERMINAL_STATUSES:
            return
        was_running = job.status in (Status.ACTIVE, Status.ABORTING)
        await self._queue.abort(job, CANCELLED)
        if was_running:
            return
        # A job waiting out a retry delay is in no list `abort` looks at: finish it here.
        stored = await self._queue.job(str(job_id))
        if stored is not None and stored.status == Status.ABORTING:
            await self._queue.finish(stored, Status.ABORTED, error=CANCELLED)

    async def ping(self) -> None:
        """Raise TransientUpstreamError unless Redis answers."""
        try:
            await self._queue.redis.ping()
        except Exception as exc:
            raise TransientUpstreamError(f"the job queue is unreachable: {exc}") from exc

    async def state(self, job_id: UUID) -> QueueState:
        """SAQ's view of the job: waiting (queued or scheduled), running, or gone."""
        job = await self._queue.job(str(job_id))
        if job is None or job.status in TERMINAL_STATUSES:
            return QueueState.GONE
        if job.status in (Status.ACTIVE, Status.ABORTING):
            return QueueState.RUNNING
        return QueueState.WAITING

    async def holds(self, job_id: UUID) -> bool:
        """True while SAQ will still run the job (waiting, scheduled or running)."""
        return await self.state(job_id) is not QueueState.GONE

    async def aclose(self) -> None:
        """Close the Redis connections."""
        await self._queue.disconnect()


async def run_saq_job(
    ctx: dict[str, Any], run: Callable[[UUID], Awaitable[object]], job_id: str
) -> None:
    """Run one attempt of a job in a SAQ task; when the runner asks for a retry, SAQ
    retries after the delay the runner chose (no backoff of its own)."""
    try:
        await run(UUID(job_id))
    except RetryJob as retry:
        job = ctx.get("job")
        if job is not None:
            job.retry_delay = retry.delay_s
            job.retry_backoff = False
        raise


def make_redis_queue(url: str, name: str = QUEUE_NAME) -> BookBytesRedisQueue:
    """A SAQ queue called ``name`` on the Redis at ``url`` (no I/O until first used)."""
    from redis import asyncio as aioredis

    return BookBytesRedisQueue(aioredis.from_url(url), name=name)


__all__ = [
    "LEGACY_TASK_NAME",
    "QUEUE_NAME",
    "TASK_NAME",
    "QueueState",
    "SaqJobQueue",
    "make_redis_queue",
    "run_saq_job",
]
