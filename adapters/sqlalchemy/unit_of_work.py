"""SqlAlchemyUnitOfWork: one AsyncSession transaction over every feature's repositories.

Each feature's repositories come from a small mixin (``BooksRepositories`` ...); the unit of
work is the session plus those mixins, and the application sees only the feature's own
unit-of-work protocol. A new feature adds its mixin to the bases of SqlAlchemyUnitOfWork.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sqlalchemy._base import domain_error
from adapters.sqlalchemy.books import SqlAlchemyBookRepository
from adapters.sqlalchemy.catalogue import SqlAlchemyCatalogueRepository
from adapters.sqlalchemy.chapters import SqlAlchemyChapterRepository
from adapters.sqlalchemy.community import (
    SqlAlchemyFavoriteRepository,
    SqlAlchemyGenreRepository,
    SqlAlchemyProfileRepository,
    SqlAlchemyReviewRepository,
    SqlAlchemySimilarityRepository,
)
from adapters.sqlalchemy.jobs import SqlAlchemyJobRepository
from adapters.sqlalchemy.refresh_tokens import SqlAlchemyRefreshTokenRepository
from adapters.sqlalchemy.renditions import SqlAlchemyRenditionRepository
from adapters.sqlalchemy.uploads import SqlAlchemyUploadRepository
from adapters.sqlalchemy.users import SqlAlchemyUserRepository
from domain.errors import InfrastructureUnavailable

if TYPE_CHECKING:
    from types import TracebackType

    from sqlalchemy.ext.asyncio import AsyncEngine

# What an unreachable, restarting or overloaded database raises (not a bug in a statement).
_OUTAGES = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, OSError)


def _is_outage(error: BaseException) -> bool:
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _OUTAGES) and not isinstance(error, sa_exc.IntegrityError)


class GuardedSession(AsyncSession):
    """An AsyncSession whose outage errors are InfrastructureUnavailable (HTTP 503; a job
    waits for the database instead of spending an attempt)."""

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute(*args, **kwargs)
        except Exception as error:
            if _is_outage(error):
                raise InfrastructureUnavailable(f"the database is unavailable: {error}") from error
            raise

    async def commit(self) -> None:
        try:
            await super().commit()
        except Exception as error:
            if _is_outage(error):
                raise InfrastructureUnavailable(f"the database is unavailable: {error}") from error
            raise


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
        try:
            await self._session.close()
        except Exception as error:  # the connection died with the outage: nothing to close
            if not _is_outage(error):
                raise

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


class CommunityRepositories(SqlSession):
    """The community feature: catalogue, profiles, genres, reviews, favourites, similarities."""

    @cached_property
    def catalogue(self) -> SqlAlchemyCatalogueRepository:
        return SqlAlchemyCatalogueRepository(self._session, self._dialect)

    @cached_property
    def profiles(self) -> SqlAlchemyProfileRepository:
        return SqlAlchemyProfileRepository(self._session, self._dialect)

    @cached_property
    def genres(self) -> SqlAlchemyGenreRepository:
        return SqlAlchemyGenreRepository(self._session, self._dialect)

    @cached_property
    def reviews(self) -> SqlAlchemyReviewRepository:
        return SqlAlchemyReviewRepository(self._session, self._dialect)

    @cached_property
    def favorites(self) -> SqlAlchemyFavoriteRepository:
        return SqlAlchemyFavoriteRepository(self._session, self._dialect)

    @cached_property
    def similarities(self) -> SqlAlchemySimilarityRepository:
        return SqlAlchemySimilarityRepository(self._session, self._dialect)


class UploadsRepositories(SqlSession):
    """The uploads feature: uploads and their chapters' text."""

    @cached_property
    def uploads(self) -> SqlAlchemyUploadRepository:
        return SqlAlchemyUploadRepository(self._session, self._dialect)


class SqlAlchemyUnitOfWork(
    BooksRepositories,
    JobsRepositories,
    AccountsRepositories,
    CommunityRepositories,
    UploadsRepositories,
):
    """One session's transaction over every feature's repositories."""


class SqlAlchemyUnitOfWorkFactory:
    """Unit-of-work factory over an engine: each call is a new session (safe concurrently)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(
            engine, class_=GuardedSession, expire_on_commit=False, autoflush=False
        )
        self._dialect = engine.dialect.name

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._sessions(), self._dialect)


__all__ = ["SqlAlchemyUnitOfWork", "SqlAlchemyUnitOfWorkFactory"]
