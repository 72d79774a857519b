"""The distributed job queue: SAQ on Redis (JobQueue adapter, Redis queue, worker)."""

from adapters.saq.heartbeat import start_heartbeat, stop_heartbeat
from adapters.saq.queue import QUEUE_NAME, TASK_NAME, QueueState, SaqJobQueue, make_redis_queue
from adapters.saq.redis_queue import BookBytesRedisQueue
from adapters.saq.worker import DrainingWorker, worker_id, worker_options

__all__ = [
    "QUEUE_NAME",
    "TASK_NAME",
    "BookBytesRedisQueue",
    "DrainingWorker",
    "QueueState",
    "SaqJobQueue",
    "make_redis_queue",
    "start_heartbeat",
    "stop_heartbeat",
    "worker_id",
    "worker_options",
]
