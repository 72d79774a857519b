"""Ports: the interfaces the use cases need, implemented by adapters.

Every port has an in-memory adapter (adapters/memory) and a contract suite
(tests/contract) that all of its adapters pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from datetime import datetime
    from types import TracebackType
    from uuid import UUID

    from domain.book import Book, BookIsbn, Edition
    from domain.chapter import Chapter, ChapterOutline
    from domain.isbn import Isbn
    from domain.job import Job, JobStatus
    from domain.refresh_token import RefreshToken
    from domain.speech import Voice
    from domain.user import User

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a listing to return."""

    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One slice of a listing and the size of the whole."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class BookFilter:
    """Optional filters for the catalogue listing."""

    title: str | None = None
    author: str | None = None
    language: str | None = None


# --- persistence -----------------------------------------------------------------------


class BookRepository(Protocol):
    """Books and the ISBNs that point at them."""

    async def get(self, book_id: UUID) -> Book | None: ...
    async def find_by_isbn(self, isbn: Isbn) -> Book | None:
        """The book any of whose known ISBNs (10 or 13 form) equals ``isbn``."""
        ...

    async def find_by_work(self, work_key: str, language: str) -> Book | None:
        """The book for a work in a language (edition grouping)."""
        ...

    async def list(self, page: PageRequest, filters: BookFilter) -> Page[Book]:
        """Books ordered by title, then id."""
        ...

    async def save(self, book: Book) -> None:
        """Insert or update the book (by id)."""
        ...

    async def add_isbns(self, isbns: Sequence[BookIsbn]) -> None:
        """Point these ISBNs at their books; an ISBN already known is re-pointed."""
        ...


class ChapterRepository(Protocol):
    """Chapters of books."""

    async def list_for_book(self, book_id: UUID) -> list[Chapter]:
        """A book's chapters ordered by number."""
        ...

    async def get(self, book_id: UUID, number: int) -> Chapter | None: ...
    async def save(self, chapter: Chapter) -> None:
        """Insert or update by (book_id, number): saving twice leaves one row."""
        ...


class JobRepository(Protocol):
    """Jobs."""

    async def get(self, job_id: UUID) -> Job | None: ...
    async def find_active(self, owner_id: UUID, isbn: str) -> Job | None:
        """The owner's pending or processing job for this canonical ISBN, if any."""
        ...

    async def list_for_owner(self, owner_id: UUID, page: PageRequest) -> Page[Job]:
        """The owner's jobs, newest first."""
        ...

    async def list_active(self) -> list[Job]:
        """Every pending or processing job, oldest first (for resuming after a restart)."""
        ...

    async def list_quiet(self, updated_before: datetime) -> list[Job]:
        """Active (pending or processing) jobs whose row has not changed since
        ``updated_before``, oldest first: candidates for recovery."""
        ...

    async def add(self, job: Job) -> None:
        """Insert a job. Raises Conflict when the owner already has an active job for its ISBN."""
        ...

    async def save(self, job: Job) -> None: ...
    async def save_if(self, job: Job, *, status: JobStatus, attempts: int) -> bool:
        """Save ``job`` only if the stored row still has ``status`` and ``attempts``.

        The compare-and-set that keeps a job's status true under concurrency: a cancel
        racing a progress write, or two workers starting the same job. False when the
        row changed meanwhile (nothing is written).
        """
        ...


class UserRepository(Protocol):
    """Accounts."""

    async def get(self, user_id: UUID) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None:
        """Insert a user. Raises EmailTaken when the email is already used."""
        ...


class RefreshTokenRepository(Protocol):
    """Issued refresh tokens (hashed)."""

    async def add(self, token: RefreshToken) -> None: ...
    async def get(self, token_id: UUID) -> RefreshToken | None: ...
    async def save(self, token: RefreshToken) -> None: ...
    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        """Revoke every token of a family still unrevoked; returns how many."""
        ...


class UnitOfWork(Protocol):
    """One transaction over the repositories; nothing is kept unless ``commit`` is called."""

    @property
    def books(self) -> BookRepository: ...
    @property
    def chapters(self) -> ChapterRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per transaction (safe to use concurrently)."""

    def __call__(self) -> UnitOfWork: ...


# --- jobs -------------------------------------------------------------------------------


class JobQueue(Protocol):
    """Runs book jobs in the background; carries only the job id."""

    async def enqueue(self, job_id: UUID) -> None:
        """Queue the job; enqueuing an id already queued or running does nothing."""
        ...

    async def cancel(self, job_id: UUID) -> None:
        """Stop the job: drop it if queued, interrupt it if running."""
        ...

    async def ping(self) -> None:
        """Raise if the queue cannot take jobs now (readiness)."""
        ...

    async def holds(self, job_id: UUID) -> bool:
        """True while the queue will still run the job: waiting, scheduled or running."""
        ...


# --- the outside world ------------------------------------------------------------------


class BookMetadataSource(Protocol):
    """Looks books up by ISBN."""

    async def lookup(self, isbn: Isbn) -> Edition:
        """The edition with this ISBN. Raises BookNotFound, or UpstreamError subclasses."""
        ...

    async def other_editions(self, edition: Edition) -> list[Edition]:
        """Other known editions of the same work (any language); may be empty."""
        ...


class ChapterPlanner(Protocol):
    """Works out a book's chapters when no table of contents is known."""

    async def plan(self, book: Book) -> list[ChapterOutline]:
        """Ordered chapters. Raises BookUnknown when the book cannot be outlined."""
        ...


class Summarizer(Protocol):
    """Writes a chapter summary."""

    async def summarize(self, book: Book, chapter: ChapterOutline) -> str: ...


class SpeechSynthesizer(Protocol):
    """Speaks text to MP3 in one of its voices."""

    def voices(self) -> Sequence[Voice]:
        """This engine's own voices, each with the voice types it stands for."""
        ...

    async def synthesize(
        self, text: str, *, language: str, voice: str = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 bytes for ``text``.

        ``voice`` is a VoiceType value (default/female/male/child) or a voice_id from
        ``voices()``. Raises ValidationFailed for empty text, InvalidVoice for any other voice.
        """
        ...


class AudioStorage(Protocol):
    """Stores chapter audio by key."""

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None: ...
    async def size(self, key: str) -> int:
        """Size in bytes. Raises AudioNotFound."""
        ...

    def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive; None = to the end) in chunks."""
        ...

    async def url(self, key: str) -> str | None:
        """A URL a client can fetch the audio from directly, or None to stream it."""
        ...

    async def delete(self, key: str) -> None: ...
    async def exists(self, key: str) -> bool: ...


# --- security ---------------------------------------------------------------------------


class PasswordHasher(Protocol):
    """Hashes and checks passwords (off the event loop)."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A signed token and how many seconds it lives."""

    token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified access token says."""

    user_id: UUID
    scopes: tuple[str, ...]


class TokenService(Protocol):
    """Issues and verifies access tokens; makes and hashes refresh-token secrets."""

    def issue_access(self, user: User) -> IssuedToken: ...
    def verify_access(self, token: str) -> TokenClaims:
        """Raises InvalidToken for anything but a valid, current access token."""
        ...

    def new_refresh_token(self, token_id: UUID) -> str:
        """A fresh, unguessable refresh token text ``<id hex>.<secret>``."""
        ...

    def hash_refresh_token(self, token: str) -> str:
        """The digest stored for a refresh token (the token itself is never stored)."""
        ...


class RateLimiter(Protocol):
    """Counts attempts per key in fixed windows."""

    async def hit(self, key: str, *, limit: int, window_s: int) -> int | None:
        """Count one attempt; None when within ``limit``, else seconds until it resets."""
        ...


# --- basics -----------------------------------------------------------------------------


class Clock(Protocol):
    """The current time, UTC."""

    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    """New unique ids."""

    def new_id(self) -> UUID: ...
