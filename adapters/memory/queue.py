"""A JobQueue that only remembers what it was asked to do (tests drive the jobs by hand)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import TransientUpstreamError

if TYPE_CHECKING:
    from uuid import UUID


class MemoryJobQueue:
    """Keeps queued job ids in order; ``cancel`` removes one; ``down`` makes it refuse work."""

    def __init__(self) -> None:
        self.queued: list[UUID] = []
        self.cancelled: list[UUID] = []
        self.down = False

    async def enqueue(self, job_id: UUID) -> None:
        if self.down:
            raise TransientUpstreamError("the queue is down")
        if job_id not in self.queued:
            self.queued.append(job_id)

    async def cancel(self, job_id: UUID) -> None:
        if job_id in self.queued:
            self.queued.remove(job_id)
        self.cancelled.append(job_id)

    async def holds(self, job_id: UUID) -> bool:
        return job_id in self.queued

    async def ping(self) -> None:
        if self.down:
            raise TransientUpstreamError("the queue is down")
