"""SqlAlchemyUnitOfWork: one AsyncSession transaction over every feature's repositories.

Each feature's repositories come from a small mixin (``BooksRepositories`` ...); the unit of
work is the session plus those mixins, and the application sees only the feature's own
unit-of-work protocol. A new feature adds its mixin to the bases of SqlAlchemyUnitOfWork.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from adapters.sqlalchemy._base import domain_error
from adapters.sqlalchemy.books import SqlAlchemyBookRepository
from adapters.sqlalchemy.chapters import SqlAlchemyChapterRepository
from adapters.sqlalchemy.jobs import SqlAlchemyJobRepository
from adapters.sqlalchemy.refresh_tokens import SqlAlchemyRefreshTokenRepository
from adapters.sqlalchemy.renditions import SqlAlchemyRenditionRepository
from adapters.sqlalchemy.uploads import SqlAlchemyUploadRepository
from adapters.sqlalchemy.users import SqlAlchemyUserRepository

if TYPE_CHECKING:
    from types import TracebackType

    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


class SqlSession:
    """The transaction: nothing is kept unless ``commit`` is called.

    Repositories run their statements at once (no deferred flush), so a constraint
    violation surfaces from the call that caused it. Leaving the ``async with`` block
    rolls back whatever was not committed and returns the connection to the pool.
    """

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        self._dialect = dialect

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()

    async def commit(self) -> None:
        """Commit. Raises Conflict (or EmailTaken) if a uniqueness rule fails at commit."""
        try:
            await self._session.commit()
        except IntegrityError as error:
            await self._session.rollback()
            mapped = domain_error(error)
            if mapped is None:
                raise
            raise mapped from error

    async def rollback(self) -> None:
        """Drop everything done since the last commit; the unit of work stays usable."""
        await self._session.rollback()


class BooksRepositories(SqlSession):
    """The books feature: books, chapters, renditions."""

    @cached_property
    def books(self) -> SqlAlchemyBookRepository:
        return SqlAlchemyBookRepository(self._session, self._dialect)

    @cached_property
    def chapters(self) -> SqlAlchemyChapterRepository:
        return SqlAlchemyChapterRepository(self._session, self._dialect)

    @cached_property
    def renditions(self) -> SqlAlchemyRenditionRepository:
        return SqlAlchemyRenditionRepository(self._session, self._dialect)


class JobsRepositories(SqlSession):
    """The jobs feature: job rows."""

    @cached_property
    def jobs(self) -> SqlAlchemyJobRepository:
        return SqlAlchemyJobRepository(self._session, self._dialect)


class AccountsRepositories(SqlSession):
    """The accounts feature: users and refresh tokens."""

    @cached_property
    def users(self) -> SqlAlchemyUserRepository:
        return SqlAlchemyUserRepository(self._session, self._dialect)

    @cached_property
    def refresh_tokens(self) -> SqlAlchemyRefreshTokenRepository:
        return SqlAlchemyRefreshTokenRepository(self._session, self._dialect)


class UploadsRepositories(SqlSession):
    """The uploads feature: uploads and their chapters' text."""

    @cached_property
    def uploads(self) -> SqlAlchemyUploadRepository:
        return SqlAlchemyUploadRepository(self._session, self._dialect)


class SqlAlchemyUnitOfWork(
    BooksRepositories, JobsRepositories, AccountsRepositories, UploadsRepositories
):
    """One session's transaction over every feature's repositories."""


class SqlAlchemyUnitOfWorkFactory:
    """Unit-of-work factory over an engine: each call is a new session (safe concurrently)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._dialect = engine.dialect.name

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._sessions(), self._dialect)


__all__ = ["SqlAlchemyUnitOfWork", "SqlAlchemyUnitOfWorkFactory"]
