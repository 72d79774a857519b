"""BookBytesRedisQueue: SAQ's Redis queue plus draining and a race-free heartbeat.

Two additions to ``saq.queue.redis.RedisQueue``:

- ``drain()``: from then on a job this process dequeues is pushed back to the head of the
  queue at once (status still ``queued``) instead of being run, so a stopping worker takes
  no new work while its idle slots finish their (short) blocking dequeue.
- ``touch(job)``: refresh the job's ``touched`` time, the SAQ heartbeat, with a WATCH
  transaction, and only while the stored job is still ``active`` on this worker. SAQ's own
  ``job.update()`` rewrites the whole record and could undo a concurrent abort.
- ``sweep()``: SAQ's sweep without its race with dequeue. A worker moves a job's id to the
  active list first and marks the job record ``active`` a moment later; SAQ's sweep, landing
  in between, saw an "active" id whose record says ``queued``, aborted it and queued a retry,
  so the job ran twice (seen as 2 of 300 jobs re-run after completing). Here such a job is
  given ``DEQUEUE_GRACE_S`` to be marked active, and swept only if it still is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError, WatchError
from saq.job import Status
from saq.queue.redis import RedisQueue
from saq.utils import now

if TYPE_CHECKING:
    from saq.job import Job

logger = logging.getLogger("saq")

DEQUEUE_GRACE_S = 2.0


class BookBytesRedisQueue(RedisQueue):
    """A SAQ Redis queue that can stop handing out jobs and heart-beat jobs safely."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._draining = False

    @property
    def draining(self) -> bool:
        """True once ``drain`` was called: dequeued jobs are handed back, not run."""
        return self._draining

    def drain(self) -> None:
        """Stop running new jobs from this queue object (the worker is shutting down)."""
        self._draining = True

    async def disconnect(self) -> None:
        """Close the connections; an unreachable Redis is no error at shutdown."""
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.close()  # SAQ unsubscribes even if it never subscribed
        await self.redis.aclose()
        await self.redis.connection_pool.disconnect()

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 - SAQ's signature
        poll_interval: float = 0.0,
    ) -> Job | None:
        """The next job, or None; while draining, a dequeued job goes back to the head."""
        job = await super().dequeue(timeout, poll_interval)
        if job is None or not self._draining:
            return job
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrem(self._active, 1, job.id)
            pipe.lpush(self._queued, job.id)
            await pipe.execute()
        logger.info("Handed back %s: worker is stopping", job.id)
        return None

    async def touch(self, job: Job) -> bool:
        """Refresh the heartbeat of ``job`` if it is still active here; False otherwise."""
        async with self.redis.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(job.id)
                stored = self.deserialize(await pipe.get(job.id))
                if (
                    stored is None
                    or stored.status != Status.ACTIVE
                    or stored.worker_id != job.worker_id
                    or stored.attempts != job.attempts
                ):
                    return False
                stored.touched = job.touched = now()
                pipe.multi()
                pipe.set(job.id, self.serialize(stored))
                await pipe.execute()
            except WatchError:
                return False  # changed under us (finished, aborted): the next beat decides
        return True

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        """Abort and retry (or finish) stuck jobs, as SAQ does, but never a job caught
        between its dequeue and its worker marking it active."""
        id_jobs = await self._snapshot_active(lock)
        just_dequeued = [
            job_id
            for job_id, job_bytes in id_jobs
            if (job := self.deserialize(job_bytes)) is not None and job.status == Status.QUEUED
        ]
        if just_dequeued:
            await asyncio.sleep(DEQUEUE_GRACE_S)
            still = set(await self.redis.lrange(self._active, 0, -1))
            records: list[Any] = await self.redis.mget(just_dequeued)
            current = dict(zip(just_dequeued, records, strict=True))
            id_jobs = [
                (job_id, current.get(job_id, job_bytes))
                for job_id, job_bytes in id_jobs
                if job_id not in current or job_id in still
            ]
        swept = []
        for job_id, job_bytes in id_jobs:
            job = self.deserialize(job_bytes)
            if job is None or job.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
                # Gone, or finished: only its id is left over. Drop the id; never re-run it.
                swept.append(job_id)
                await self._forget(job_id)
                logger.info("Sweeping leftover id %s", job_id)
                continue
            if job.status == Status.ACTIVE and not job.stuck:
                continue
            logger.info("Sweeping job %s", job.info(logger.isEnabledFor(logging.DEBUG)))
            swept.append(job_id)
            await self.abort(job, error=self.swept_error_message)
            with contextlib.suppress(asyncio.TimeoutError):
                await job.refresh(abort)
            if job.retryable:
                await self.retry(job, error=self.swept_error_message)
            else:
                await self.finish(job, Status.ABORTED, error=self.swept_error_message)
        return [job_id.decode("utf-8") for job_id in swept]

    async def _forget(self, job_id: Any) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrem(self._active, 0, job_id)
            pipe.zrem(self._incomplete, job_id)
            await pipe.execute()

    async def _snapshot_active(self, lock: int) -> list[tuple[bytes, bytes | None]]:
        """The active list's ids and job records, once per ``lock`` seconds across workers
        (SAQ's own cleanup script, so sweeps by several workers never overlap)."""
        if not self._cleanup_script:
            self._cleanup_script = self.redis.register_script(
                """
                local id_jobs = {}
                if redis.call('EXISTS', KEYS[1]) == 0 then
                    redis.call('SETEX', KEYS[1], ARGV[1], 1)
                    for i, v in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
                        id_jobs[i] = {v, redis.call('GET', v)}
                    end
                end
                return id_jobs
                """
            )
        rows = await self._cleanup_script(
            keys=[self._sweep, self._active], args=[lock], client=self.redis
        )
        return [(row[0], row[1] if len(row) > 1 else None) for row in rows]


__all__ = ["BookBytesRedisQueue"]
