"""The distributed job queue: SAQ on Redis (JobQueue adapter, Redis queue, worker)."""

from adapters.saq.heartbeat import start_heartbeat, stop_heartbeat
from adapters.saq.queue import (
    LEGACY_TASK_NAME,
    QUEUE_NAME,
    TASK_NAME,
    QueueState,
    SaqJobQueue,
    make_redis_queue,
    run_saq_job,
)
from adapters.saq.redis_queue import BookBytesRedisQueue
from adapters.saq.worker import DrainingWorker, worker_id, worker_options

__all__ = [
    "LEGACY_TASK_NAME",
    "QUEUE_NAME",
    "TASK_NAME",
    "BookBytesRedisQueue",
    "DrainingWorker",
    "QueueState",
    "SaqJobQueue",
    "make_redis_queue",
    "run_saq_job",
    "start_heartbeat",
    "stop_heartbeat",
    "worker_id",
    "worker_options",
]
