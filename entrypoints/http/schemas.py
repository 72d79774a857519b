"""Request and response bodies (msgspec Structs), separate Create/Read types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.ports import Page
from application.token_pairs import TokenPair
from domain.book import Book
from domain.chapter import Chapter
from domain.job import Job
from domain.user import User


class Schema(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of every body: unknown fields are refused."""


# --- errors ---------------------------------------------------------------------------------


class ErrorDetail(Schema):
    """What went wrong."""

    code: str
    message: str
    request_id: str
    details: Any | None = msgspec.field(default=None)


class ErrorResponse(Schema):
    """The one error envelope."""

    error: ErrorDetail


# --- auth -----------------------------------------------------------------------------------

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ada@example.com"])]
Password = Annotated[
    str, msgspec.Meta(min_length=1, max_length=1024, examples=["correct horse battery"])
]


class RegisterRequest(Schema):
    """A new account."""

    email: Email
    password: Password


class LoginRequest(Schema):
    """Credentials."""

    email: Email
    password: Password


class RefreshRequest(Schema):
    """A refresh token to rotate or revoke."""

    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=512)]


class TokenResponse(Schema):
    """A bearer access token (``expires_in`` seconds) and the refresh token that renews it."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            access_token=pair.access.token,
            refresh_token=pair.refresh_token,
            expires_in=pair.access.expires_in,
        )


class UserRead(Schema):
    """An account, as its owner sees it."""

    id: UUID
    email: str
    scopes: list[str]
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id, email=user.email, scopes=list(user.scopes), created_at=user.created_at
        )


# --- books ----------------------------------------------------------------------------------


class ProcessBookRequest(Schema):
    """Which book to summarise and speak, with speech options."""

    isbn: Annotated[str, msgspec.Meta(min_length=1, max_length=32, examples=["978-0-306-40615-7"])]
    voice: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    speed: Annotated[float, msgspec.Meta(ge=0.5, le=2.0)] = 1.0


class JobAccepted(Schema):
    """The job that will do (or is doing) the work."""

    job_id: UUID
    status: str
    created: bool


class BookRead(Schema):
    """A book of the catalogue."""

    id: UUID
    title: str
    author: str
    language: str
    edition: str | None
    publisher: str | None
    pages: int | None
    publish_date: date | None
    cover_url: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, book: Book) -> BookRead:
        return cls(
            id=book.id,
            title=book.title,
            author=book.author,
            language=book.language,
            edition=book.edition,
            publisher=book.publisher,
            pages=book.pages,
            publish_date=book.publish_date,
            cover_url=book.cover_url,
            created_at=book.created_at,
            updated_at=book.updated_at,
        )


class BookPage(Schema):
    """One page of the catalogue."""

    items: list[BookRead]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[Book]) -> BookPage:
        return cls(
            items=[BookRead.of(b) for b in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


class ChapterRead(Schema):
    """A chapter with its summary and where to get its audio."""

    number: int
    title: str
    summary: str | None
    word_count: int
    audio_url: str | None
    duration_s: float | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, chapter: Chapter) -> ChapterRead:
        return cls(
            number=chapter.number,
            title=chapter.title,
            summary=chapter.summary,
            word_count=chapter.word_count,
            audio_url=chapter.audio_url if chapter.audio_key else None,
            duration_s=chapter.duration_s,
            created_at=chapter.created_at,
            updated_at=chapter.updated_at,
        )


class ChapterList(Schema):
    """A book's chapters in order."""

    book_id: UUID
    items: list[ChapterRead]


# --- jobs -----------------------------------------------------------------------------------


class JobErrorRead(Schema):
    """Why a job failed."""

    code: str
    message: str


class JobRead(Schema):
    """A job as its owner sees it."""

    id: UUID
    kind: str
    status: str
    progress: int
    current_step: str
    isbn: str
    book_id: UUID | None
    result: dict[str, Any] | None
    error: JobErrorRead | None
    attempts: int
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobRead:
        return cls(
            id=job.id,
            kind=str(job.kind),
            status=str(job.status),
            progress=job.progress,
            current_step=job.current_step,
            isbn=job.isbn,
            book_id=job.book_id,
            result=job.result,
            error=JobErrorRead(code=job.error.code, message=job.error.message)
            if job.error
            else None,
            attempts=job.attempts,
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


class JobPage(Schema):
    """One page of the caller's jobs."""

    items: list[JobRead]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[Job]) -> JobPage:
        return cls(
            items=[JobRead.of(j) for j in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


# --- health ---------------------------------------------------------------------------------


class HealthStatus(Schema):
    """Liveness or readiness, with the state of each dependency."""

    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)
