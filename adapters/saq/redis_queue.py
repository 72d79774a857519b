"""BookBytesRedisQueue: SAQ's Redis queue plus draining and a race-free heartbeat.

Two additions to ``saq.queue.redis.RedisQueue``:

- ``drain()``: from then on a job this process dequeues is pushed back to the head of the
  queue at once (status still ``queued``) instead of being run, so a stopping worker takes
  no new work while its idle slots finish their (short) blocking dequeue.
- ``touch(job)``: refresh the job's ``touched`` time, the SAQ heartbeat, with a WATCH
  transaction, and only while the stored job is still ``active`` on this worker. SAQ's own
  ``job.update()`` rewrites the whole record and could undo a concurrent abort.
"""

from __future__ import annotations

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


__all__ = ["BookBytesRedisQueue"]
