"""The embedded job queue: asyncio tasks inside the API process."""

from adapters.inprocess.queue import InProcessJobQueue, QueueClosed

__all__ = ["InProcessJobQueue", "QueueClosed"]
