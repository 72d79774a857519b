"""ProcessBook: accept an ISBN and queue the work, or return the job already doing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.errors import Conflict, TransientUpstreamError
from domain.isbn import Isbn
from domain.job import Job, JobStatus

if TYPE_CHECKING:
    from uuid import UUID

    from application.ports import Clock, IdGenerator, JobQueue, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ProcessBookCommand:
    """Who asks for which ISBN, with speech options for the pipeline."""

    owner_id: UUID
    isbn: str
    options: dict[str, Any] = field(default_factory=dict)
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessBookResult:
    """The job doing the work; ``created`` is False when it was already in flight."""

    job: Job
    created: bool


class ProcessBook:
    """Validate the ISBN, reuse the caller's in-flight job for it, else create and enqueue one."""

    def __init__(
        self, *, uow_factory: UnitOfWorkFactory, queue: JobQueue, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow = uow_factory
        self._queue = queue
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: ProcessBookCommand) -> ProcessBookResult:
        """Raises InvalidIsbn for a bad ISBN, TransientUpstreamError when the queue is down."""
        isbn = Isbn.parse(command.isbn)
        now = self._clock.now()
        job = Job(
            id=self._ids.new_id(),
            owner_id=command.owner_id,
            isbn=isbn.value,
            created_at=now,
            updated_at=now,
            options=dict(command.options),
            request_id=command.request_id,
        )
        async with self._uow() as uow:
            existing = await uow.jobs.find_active(command.owner_id, isbn.value)
            if existing is None:
                try:
                    await uow.jobs.add(job)
                    await uow.commit()
                except Conflict:
                    # Another request created it between our read and our insert.
                    await uow.rollback()
                    existing = await uow.jobs.find_active(command.owner_id, isbn.value)
                    if existing is None:
                        raise
        result = ProcessBookResult(existing or job, created=existing is None)
        if result.job.status is JobStatus.PENDING:
            await self._enqueue(result.job)
        return result

    async def _enqueue(self, job: Job) -> None:
        """Queue the job (again: enqueueing is idempotent, so a job whose first enqueue
        failed is queued by the next submission of the same book, or at the next start)."""
        try:
            await self._queue.enqueue(job.id)
        except Exception as exc:
            raise TransientUpstreamError(
                "the job queue is unavailable; the job is saved and will be queued "
                "when you submit again"
            ) from exc
