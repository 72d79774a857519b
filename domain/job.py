"""Jobs and their status state machine.

pending -> processing -> completed | failed | cancelled, and pending -> cancelled.
A job in ``processing`` may begin a new attempt (a retry or a resume after a crash):
the status stays, ``attempts`` grows, and progress restarts for that attempt. Within
an attempt progress never goes backwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import InvalidJobTransition
from domain.recipe import Recipe


class JobStatus(enum.StrEnum):
    """Where a job is in its life."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


ALLOWED_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.PENDING: frozenset({JobStatus.PROCESSING, JobStatus.CANCELLED}),
    JobStatus.PROCESSING: frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED}),
    JobStatus.COMPLETED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}

ACTIVE_STATUSES = frozenset({JobStatus.PENDING, JobStatus.PROCESSING})


class JobKind(enum.StrEnum):
    """What a job does; the job runner maps each kind to the use case that does it."""

    PROCESS_BOOK = "process_book"
    PROCESS_UPLOAD = "process_upload"


class SourceKind(enum.StrEnum):
    """Where a job's book comes from."""

    ISBN = "isbn"
    UPLOAD = "upload"


@dataclass(frozen=True, slots=True)
class JobSource:
    """A job's book: an ISBN (canonical ISBN-13) or an upload id."""

    kind: SourceKind
    ref: str

    @classmethod
    def isbn(cls, isbn13: str) -> JobSource:
        """The source for a canonical ISBN-13."""
        return cls(SourceKind.ISBN, isbn13)

    @classmethod
    def upload(cls, ref: str) -> JobSource:
        """The source for an upload (``domain.upload.UploadSelection.ref``)."""
        return cls(SourceKind.UPLOAD, ref)


@dataclass(frozen=True, slots=True)
class JobError:
    """Why a job failed: a stable code and a human message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Job:
    """A unit of background work; the row is the truth, the queue carries only the id."""

    id: UUID
    owner_id: UUID
    source: JobSource
    recipe: Recipe
    created_at: datetime
    updated_at: datetime
    kind: JobKind = JobKind.PROCESS_BOOK
    status: JobStatus = JobStatus.PENDING
    progress: int = 0
    current_step: str = "queued"
    book_id: UUID | None = None
    result: dict[str, Any] | None = None
    error: JobError | None = None
    attempts: int = 0
    request_id: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def isbn(self) -> str | None:
        """The ISBN-13 the job is about, when its source is an ISBN."""
        return self.source.ref if self.source.kind is SourceKind.ISBN else None

    def attempts_left(self, max_attempts: int) -> bool:
        """True while another attempt fits in a budget of ``max_attempts``."""
        return self.attempts < max_attempts

    @property
    def is_active(self) -> bool:
        """Pending or processing: not yet finished."""
        return self.status in ACTIVE_STATUSES

    def _moved(self, to: JobStatus, now: datetime, **changes: Any) -> Job:
        if to not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidJobTransition(f"a {self.status} job cannot become {to}")
        return replace(self, status=to, updated_at=now, **changes)

    def begin_attempt(self, now: datetime) -> Job:
        """Start (or restart, after a retry or crash) the work: status processing."""
        if self.status is JobStatus.PROCESSING:
            return replace(
                self,
                attempts=self.attempts + 1,
                progress=0,
                current_step="resuming",
                updated_at=now,
            )
        return self._moved(
            JobStatus.PROCESSING,
            now,
            attempts=self.attempts + 1,
            progress=0,
            current_step="starting",
            started_at=now,
        )

    def advance(self, progress: int, step: str, now: datetime) -> Job:
        """Record progress (0..100, never lower than before) and the current step."""
        if self.status is not JobStatus.PROCESSING:
            raise InvalidJobTransition(f"a {self.status} job cannot make progress")
        if not 0 <= progress <= 100:
            raise ValueError(f"progress must be within 0..100, got {progress}")
        if progress < self.progress:
            raise InvalidJobTransition(
                f"progress cannot go back from {self.progress} to {progress}"
            )
        return replace(self, progress=progress, current_step=step, updated_at=now)

    def with_book(self, book_id: UUID, now: datetime) -> Job:
        """Record which book the job is about, once metadata resolved it."""
        return replace(self, book_id=book_id, updated_at=now)

    def complete(self, result: dict[str, Any], now: datetime) -> Job:
        """Finish successfully with ``result``."""
        return self._moved(
            JobStatus.COMPLETED,
            now,
            progress=100,
            current_step="done",
            result=result,
            error=None,
            finished_at=now,
        )

    def fail(self, error: JobError, now: datetime) -> Job:
        """Finish with ``error``."""
        return self._moved(
            JobStatus.FAILED, now, current_step="failed", error=error, finished_at=now
        )

    def cancel(self, now: datetime) -> Job:
        """Stop the job; work already finished is kept."""
        return self._moved(JobStatus.CANCELLED, now, current_step="cancelled", finished_at=now)
