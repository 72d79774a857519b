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


def ex(*values: Any) -> msgspec.Meta:
    """Example values for the OpenAPI schema: ``Annotated[str, ex("ada@example.com")]``."""
    return msgspec.Meta(examples=list(values))


BookId = Annotated[UUID, ex("2f22def2-457b-49c1-8263-4267c86fc62f")]
JobId = Annotated[UUID, ex("729dab70-aa4b-43f9-a5ea-06199c36ba32")]
UserId = Annotated[UUID, ex("77620568-7509-418f-9720-2785cd4adfc2")]
Moment = Annotated[datetime, ex("2026-11-23T00:42:48.054049Z")]
Isbn13 = Annotated[str, ex("9780306406157")]
Status = Annotated[str, ex("processing")]


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

    access_token: Annotated[str, ex("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi....")]
    refresh_token: Annotated[str, ex("0f8c2d5e9a7b4c3d8e1f2a3b4c5d6e7f.Zm9vYmFy...")]
    expires_in: Annotated[int, ex(900)]
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

    id: UserId
    email: Annotated[str, ex("ada@example.com")]
    scopes: Annotated[list[str], ex(["books", "jobs"])]
    created_at: Moment

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id, email=user.email, scopes=list(user.scopes), created_at=user.created_at
        )


# --- books ----------------------------------------------------------------------------------


class ProcessBookRequest(Schema):
    """Which book to summarise and speak, with speech options."""

    isbn: Annotated[str, msgspec.Meta(min_length=1, max_length=32, examples=["978-0-306-40615-7"])]
    voice: Annotated[str, msgspec.Meta(max_length=64, examples=["en-GB"])] | None = None
    speed: Annotated[float, msgspec.Meta(ge=0.5, le=2.0, examples=[1.0])] = 1.0


class JobAccepted(Schema):
    """The job that will do (or is doing) the work."""

    job_id: JobId
    status: Annotated[str, ex("pending")]
    created: Annotated[bool, ex(True)]


class BookRead(Schema):
    """A book of the catalogue."""

    id: BookId
    title: Annotated[str, ex("Fantastic Mr. Fox")]
    author: Annotated[str, ex("Roald Dahl")]
    language: Annotated[str, ex("en")]
    edition: Annotated[str | None, ex("First Puffin edition")]
    publisher: Annotated[str | None, ex("Puffin")]
    pages: Annotated[int | None, ex(96)]
    publish_date: Annotated[date | None, ex("1988-10-01")]
    cover_url: Annotated[str | None, ex("https://covers.openlibrary.org/b/id/8739161-L.jpg")]
    created_at: Moment
    updated_at: Moment

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
    total: Annotated[int, ex(1)]
    limit: Annotated[int, ex(20)]
    offset: Annotated[int, ex(0)]

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

    number: Annotated[int, ex(1)]
    title: Annotated[str, ex("Mr. Fox")]
    summary: Annotated[str | None, ex("Mr. Fox feeds his family by raiding three farmers...")]
    word_count: Annotated[int, ex(180)]
    audio_url: Annotated[
        str | None, ex("/api/v1/books/2f22def2-457b-49c1-8263-4267c86fc62f/chapters/1/audio")
    ]
    duration_s: Annotated[float | None, ex(61.4)]
    created_at: Moment
    updated_at: Moment

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

    book_id: BookId
    items: list[ChapterRead]


# --- jobs -----------------------------------------------------------------------------------


class JobErrorRead(Schema):
    """Why a job failed."""

    code: Annotated[str, ex("book_not_found")]
    message: Annotated[str, ex("no book with ISBN 9780306406157")]


class JobRead(Schema):
    """A job as its owner sees it."""

    id: JobId
    kind: Annotated[str, ex("process_book")]
    status: Status
    progress: Annotated[int, ex(45)]
    current_step: Annotated[str, ex("chapters: 2/5 done")]
    isbn: Isbn13
    book_id: Annotated[UUID | None, ex("2f22def2-457b-49c1-8263-4267c86fc62f")]
    result: Annotated[
        dict[str, Any] | None,
        ex({"book_id": "2f22def2-457b-49c1-8263-4267c86fc62f", "chapters": 5}),
    ]
    error: JobErrorRead | None
    attempts: Annotated[int, ex(1)]
    created_at: Moment
    updated_at: Moment
    started_at: Annotated[datetime | None, ex("2026-11-23T00:42:48.075137Z")]
    finished_at: Annotated[datetime | None, ex(None)]

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
    total: Annotated[int, ex(1)]
    limit: Annotated[int, ex(20)]
    offset: Annotated[int, ex(0)]

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

    status: Annotated[str, ex("ok")]
    checks: Annotated[dict[str, str], ex({"database": "ok", "queue": "ok"})] = msgspec.field(
        default_factory=dict
    )
