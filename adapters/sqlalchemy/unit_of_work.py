"""SqlAlchemyUnitOfWork: one AsyncSession transaction over the repositories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from adapters.sqlalchemy._base import domain_error
from adapters.sqlalchemy.books import SqlAlchemyBookRepository
from adapters.sqlalchemy.chapters import SqlAlchemyChapterRepository
from adapters.sqlalchemy.jobs import SqlAlchemyJobRepository
from adapters.sqlalchemy.refresh_tokens import SqlAlchemyRefreshTokenRepository
from adapters.sqlalchemy.users import SqlAlchemyUserRepository

if TYPE_CHECKING:
    from types import TracebackType

    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

    from application.ports import (
        BookRepository,
        ChapterRepository,
        JobRepository,
        RefreshTokenRepository,
        UserRepository,
    )


class SqlAlchemyUnitOfWork:
    """UnitOfWork over one session: nothing is kept unless ``commit`` is called.

    Repositories run their statements at once (no deferred flush), so a constraint
    violation surfaces from the call that caused it. Leaving the ``async with`` block
    rolls back whatever was not committed and returns the connection to the pool.
    """

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        # Annotated with the ports: the UnitOfWork protocol's attributes are invariant.
        self.books: BookRepository = SqlAlchemyBookRepository(session, dialect)
        self.chapters: ChapterRepository = SqlAlchemyChapterRepository(session, dialect)
        self.jobs: JobRepository = SqlAlchemyJobRepository(session, dialect)
        self.users: UserRepository = SqlAlchemyUserRepository(session, dialect)
        self.refresh_tokens: RefreshTokenRepository = SqlAlchemyRefreshTokenRepository(
            session, dialect
        )

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


class SqlAlchemyUnitOfWorkFactory:
    """UnitOfWorkFactory over an engine: each call is a new session (safe concurrently)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._dialect = engine.dialect.name

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._sessions(), self._dialect)
