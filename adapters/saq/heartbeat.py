"""Heartbeat hooks: while a SAQ job runs, refresh its ``touched`` time in the background.

SAQ's sweep treats an active job whose heartbeat is older than its ``heartbeat`` option as
stuck (its worker died) and aborts and re-queues it. Register ``start_heartbeat`` as a
worker's ``before_process`` hook and ``stop_heartbeat`` as its ``after_process`` hook.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import structlog

from adapters.saq.queue import HEARTBEAT_EVERY_S
from adapters.saq.redis_queue import BookBytesRedisQueue

if TYPE_CHECKING:
    from saq.job import Job

log = structlog.get_logger(__name__)


async def start_heartbeat(ctx: dict[str, Any]) -> None:
    """Start beating for ``ctx["job"]`` every HEARTBEAT_EVERY_S seconds."""
    job: Job = ctx["job"]
    ctx["heartbeat"] = asyncio.create_task(_beat(job), name=f"heartbeat-{job.key}")


async def stop_heartbeat(ctx: dict[str, Any]) -> None:
    """Stop the beat started for this job, if any."""
    task: asyncio.Task[None] | None = ctx.pop("heartbeat", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _beat(job: Job, every_s: float = HEARTBEAT_EVERY_S) -> None:
    queue = job.get_queue()
    while True:
        await asyncio.sleep(every_s)
        try:
            if isinstance(queue, BookBytesRedisQueue):
                alive = await queue.touch(job)
            else:
                await job.update()
                alive = True
        except Exception:
            log.warning("heartbeat failed", job_key=job.key, exc_info=True)
            continue
        if not alive:
            log.warning("job is no longer active on this worker", job_key=job.key)


__all__ = ["start_heartbeat", "stop_heartbeat"]
