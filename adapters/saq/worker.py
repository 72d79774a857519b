"""DrainingWorker: a SAQ worker that stops gracefully, and the options it runs with.

SAQ's own ``Worker.stop`` waits the whole grace period for *all* its tasks, idle ones
included (upkeep loops sleep up to a minute, idle slots block on Redis), and idle slots
keep taking jobs meanwhile. This worker, on SIGTERM/SIGINT or ``stop()``:

1. drains its queue: a job dequeued from now on is handed back at once, not run;
2. stops the upkeep loops (abort poll, scheduler, sweep, worker info);
3. lets running jobs finish for ``shutdown_grace_period_s``; SAQ then cancels what is
   left and re-queues it (``job.retry("cancelled")``), so another worker resumes it, and
   the pipeline skips the chapters already done;
4. runs the shutdown hooks (closing the container).
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import structlog
from saq import Worker
from saq.utils import cancel_tasks

from adapters.saq.heartbeat import start_heartbeat, stop_heartbeat
from adapters.saq.redis_queue import BookBytesRedisQueue

log = structlog.get_logger(__name__)

DEQUEUE_TIMEOUT_S = 1.0
SWEEP_EVERY_S = 10
HARD_DEADLINE_S = 5.0


def worker_id() -> str:
    """A worker id naming the host and process (SAQ splits ids on ':', so none here)."""
    host = socket.gethostname().replace(":", "-")
    return f"{host}.{os.getpid()}.{uuid.uuid4().hex[:8]}"


def worker_options() -> dict[str, Any]:
    """``Worker`` keyword arguments every BookBytes worker runs with (SAQ's CLI included).

    A 1 s blocking dequeue (idle slots notice a stop), SAQ's sweep of stuck jobs every
    10 s, 5 s for a cancelled job to unwind, and the heartbeat hooks.
    """
    return {
        "id": worker_id(),
        "dequeue_timeout": DEQUEUE_TIMEOUT_S,
        "timers": {"sweep": SWEEP_EVERY_S},
        "cancellation_hard_deadline_s": HARD_DEADLINE_S,
        "before_process": [start_heartbeat],
        "after_process": [stop_heartbeat],
    }


class DrainingWorker(Worker):
    """A SAQ Worker that, stopped, takes no new job and waits only for running ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._upkeep_tasks: list[Any] = []

    async def upkeep(self) -> list[Any]:
        """Start SAQ's upkeep loops, remembering them so ``stop`` can end them at once."""
        self._upkeep_tasks = await super().upkeep()
        return self._upkeep_tasks

    async def stop(self) -> None:
        """Take no new job, end upkeep, give running jobs the grace period, re-queue the rest."""
        if not self._stopped:
            log.info(
                "worker stopping",
                worker_id=self.id,
                running=len(self.job_task_contexts),
                grace_s=self._shutdown_grace_period_s,
            )
        self.event.set()
        if isinstance(self.queue, BookBytesRedisQueue):
            self.queue.drain()
        upkeep, self._upkeep_tasks = self._upkeep_tasks, []
        self.tasks.difference_update(upkeep)
        await cancel_tasks(upkeep, timeout=HARD_DEADLINE_S)
        await super().stop()


__all__ = ["DrainingWorker", "worker_id", "worker_options"]
