"""In-memory repositories and unit of work.

Writes are staged in the unit of work and applied to the shared ``MemoryDatabase``
only on commit, so a rolled-back transaction leaves no trace — like the real thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Self

from application.ports import BookFilter, Page, PageRequest
from domain.errors import Conflict, EmailTaken
from domain.job import JobStatus

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from types import TracebackType
    from uuid import UUID

    from domain.book import Book, BookIsbn
    from domain.chapter import Chapter
    from domain.isbn import Isbn
    from domain.job import Job
    from domain.refresh_token import RefreshToken
    from domain.user import User


@dataclass
class _Tables:
    """One dict per table; both the committed state and a transaction's writes have them."""

    books: dict[UUID, Book] = field(default_factory=dict)
    isbns: dict[str, BookIsbn] = field(default_factory=dict)
    chapters: dict[tuple[UUID, int], Chapter] = field(default_factory=dict)
    jobs: dict[UUID, Job] = field(default_factory=dict)
    users: dict[UUID, User] = field(default_factory=dict)
    refresh_tokens: dict[UUID, RefreshToken] = field(default_factory=dict)


TABLES = tuple(f.name for f in fields(_Tables))


@dataclass
class MemoryDatabase(_Tables):
    """The committed state shared by every unit of work."""

    commits: int = 0


@dataclass
class _Staged(_Tables):
    """A transaction's writes, and the job states its compare-and-set writes expect."""

    job_conditions: dict[UUID, tuple[JobStatus, int]] = field(default_factory=dict)


class _Repository:
    def __init__(self, db: MemoryDatabase, staged: _Staged) -> None:
        self._db = db
        self._staged = staged


class MemoryBookRepository(_Repository):
    """BookRepository over dicts."""

    def _books(self) -> dict[UUID, Book]:
        """Books as loaded: each carries its known ISBNs, ISBN-13 forms first."""
        books = {**self._db.books, **self._staged.books}
        known: dict[UUID, list[str]] = {}
        for row in self._isbns().values():
            known.setdefault(row.book_id, []).append(row.isbn)
        return {
            book_id: replace(
                book, isbns=tuple(sorted(known.get(book_id, []), key=lambda i: (len(i) != 13, i)))
            )
            for book_id, book in books.items()
        }

    def _isbns(self) -> dict[str, BookIsbn]:
        return {**self._db.isbns, **self._staged.isbns}

    async def get(self, book_id: UUID) -> Book | None:
        return self._books().get(book_id)

    async def find_by_isbn(self, isbn: Isbn) -> Book | None:
        isbns = self._isbns()
        for text in (isbn.isbn13, isbn.isbn10):
            if text is not None and text in isbns:
                return self._books().get(isbns[text].book_id)
        return None

    async def find_by_work(self, work_key: str, language: str) -> Book | None:
        matches = [
            b for b in self._books().values() if b.work_key == work_key and b.language == language
        ]
        return min(matches, key=lambda b: b.created_at, default=None)

    async def list(self, page: PageRequest, filters: BookFilter) -> Page[Book]:
        def keep(book: Book) -> bool:
            return (
                (filters.title is None or filters.title.lower() in book.title.lower())
                and (filters.author is None or filters.author.lower() in book.author.lower())
                and (filters.language is None or filters.language == book.language)
            )

        books = sorted(
            (b for b in self._books().values() if keep(b)), key=lambda b: (b.title, str(b.id))
        )
        items = books[page.offset : page.offset + page.limit]
        return Page(items, len(books), page.limit, page.offset)

    async def save(self, book: Book) -> None:
        self._staged.books[book.id] = book

    async def add_isbns(self, isbns: Sequence[BookIsbn]) -> None:
        for row in isbns:
            self._staged.isbns[row.isbn] = row


class MemoryChapterRepository(_Repository):
    """ChapterRepository over dicts."""

    def _chapters(self) -> dict[tuple[UUID, int], Chapter]:
        return {**self._db.chapters, **self._staged.chapters}

    async def list_for_book(self, book_id: UUID) -> list[Chapter]:
        return sorted(
            (c for c in self._chapters().values() if c.book_id == book_id),
            key=lambda c: c.number,
        )

    async def get(self, book_id: UUID, number: int) -> Chapter | None:
        return self._chapters().get((book_id, number))

    async def save(self, chapter: Chapter) -> None:
        key = (chapter.book_id, chapter.number)
        stored = self._chapters().get(key)
        if stored is not None and stored.id != chapter.id:
            chapter = replace(chapter, id=stored.id, created_at=stored.created_at)
        self._staged.chapters[key] = chapter


class MemoryJobRepository(_Repository):
    """JobRepository over dicts."""

    def _jobs(self) -> dict[UUID, Job]:
        return {**self._db.jobs, **self._staged.jobs}

    async def get(self, job_id: UUID) -> Job | None:
        return self._jobs().get(job_id)

    async def find_active(self, owner_id: UUID, isbn: str) -> Job | None:
        for job in self._jobs().values():
            if job.owner_id == owner_id and job.isbn == isbn and job.is_active:
                return job
        return None

    async def list_for_owner(self, owner_id: UUID, page: PageRequest) -> Page[Job]:
        jobs = sorted(
            (j for j in self._jobs().values() if j.owner_id == owner_id),
            key=lambda j: (j.created_at, str(j.id)),
            reverse=True,
        )
        return Page(
            jobs[page.offset : page.offset + page.limit], len(jobs), page.limit, page.offset
        )

    async def list_active(self) -> list[Job]:
        return sorted((j for j in self._jobs().values() if j.is_active), key=lambda j: j.created_at)

    async def list_quiet(self, updated_before: datetime) -> list[Job]:
        return [j for j in await self.list_active() if j.updated_at < updated_before]

    async def add(self, job: Job) -> None:
        if job.is_active and await self.find_active(job.owner_id, job.isbn) is not None:
            raise Conflict(f"an active job for ISBN {job.isbn} already exists")
        self._staged.jobs[job.id] = job

    async def save(self, job: Job) -> None:
        self._staged.jobs[job.id] = job

    async def save_if(self, job: Job, *, status: JobStatus, attempts: int) -> bool:
        stored = self._jobs().get(job.id)
        if stored is None or stored.status is not status or stored.attempts != attempts:
            return False
        self._staged.jobs[job.id] = job
        self._staged.job_conditions[job.id] = (status, attempts)
        return True


class MemoryUserRepository(_Repository):
    """UserRepository over dicts."""

    def _users(self) -> dict[UUID, User]:
        return {**self._db.users, **self._staged.users}

    async def get(self, user_id: UUID) -> User | None:
        return self._users().get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        return next((u for u in self._users().values() if u.email == email), None)

    async def add(self, user: User) -> None:
        if await self.get_by_email(user.email) is not None:
            raise EmailTaken(f"an account with {user.email} already exists")
        self._staged.users[user.id] = user


class MemoryRefreshTokenRepository(_Repository):
    """RefreshTokenRepository over dicts."""

    def _tokens(self) -> dict[UUID, RefreshToken]:
        return {**self._db.refresh_tokens, **self._staged.refresh_tokens}

    async def add(self, token: RefreshToken) -> None:
        if token.id in self._tokens():
            raise Conflict(f"refresh token {token.id} already exists")
        self._staged.refresh_tokens[token.id] = token

    async def get(self, token_id: UUID) -> RefreshToken | None:
        return self._tokens().get(token_id)

    async def save(self, token: RefreshToken) -> None:
        self._staged.refresh_tokens[token.id] = token

    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        live = [
            t for t in self._tokens().values() if t.family_id == family_id and t.revoked_at is None
        ]
        for token in live:
            self._staged.refresh_tokens[token.id] = token.revoked(now)
        return len(live)


class MemoryUnitOfWork:
    """UnitOfWork whose commit applies the staged writes to the database."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._staged = _Staged()
        self.books = MemoryBookRepository(db, self._staged)
        self.chapters = MemoryChapterRepository(db, self._staged)
        self.jobs = MemoryJobRepository(db, self._staged)
        self.users = MemoryUserRepository(db, self._staged)
        self.refresh_tokens = MemoryRefreshTokenRepository(db, self._staged)
        self.committed = False

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def commit(self) -> None:
        """Apply staged writes, re-checking the uniqueness rules against committed state."""
        staged = self._staged
        for user in staged.users.values():
            clash = next(
                (u for u in self._db.users.values() if u.email == user.email and u.id != user.id),
                None,
            )
            if clash is not None:
                raise EmailTaken(f"an account with {user.email} already exists")
        for job_id, (status, attempts) in staged.job_conditions.items():
            current = self._db.jobs.get(job_id)
            if current is None or current.status is not status or current.attempts != attempts:
                raise Conflict(f"job {job_id} changed meanwhile")
        for job in staged.jobs.values():
            if job.is_active and any(
                j.id != job.id and j.is_active and j.owner_id == job.owner_id and j.isbn == job.isbn
                for j in self._db.jobs.values()
            ):
                raise Conflict(f"an active job for ISBN {job.isbn} already exists")
        for table in TABLES:
            getattr(self._db, table).update(getattr(staged, table))
        self._db.commits += 1
        self.committed = True
        self._clear()

    async def rollback(self) -> None:
        """Drop staged writes."""
        self._clear()

    def _clear(self) -> None:
        for staged in fields(self._staged):
            getattr(self._staged, staged.name).clear()


class MemoryUnitOfWorkFactory:
    """UnitOfWorkFactory over one shared MemoryDatabase."""

    def __init__(self, db: MemoryDatabase | None = None) -> None:
        self.db = db or MemoryDatabase()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)
