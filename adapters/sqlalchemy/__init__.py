"""SQLAlchemy 2 async persistence for PostgreSQL (asyncpg) and SQLite (aiosqlite).

The container calls ``create_engine(settings.database_url, ...)`` once, wraps it in
``SqlAlchemyUnitOfWorkFactory``, uses ``ping`` for readiness and disposes of the engine
at shutdown. ``migrate.upgrade`` / ``migrate.downgrade`` run Alembic (outside an event loop).
"""

from __future__ import annotations

from adapters.sqlalchemy import migrate
from adapters.sqlalchemy.books import SqlAlchemyBookRepository
from adapters.sqlalchemy.chapters import SqlAlchemyChapterRepository
from adapters.sqlalchemy.engine import create_engine, ping
from adapters.sqlalchemy.jobs import SqlAlchemyJobRepository
from adapters.sqlalchemy.tables import metadata
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork, SqlAlchemyUnitOfWorkFactory
from adapters.sqlalchemy.users import SqlAlchemyUserRepository

__all__ = [
    "SqlAlchemyBookRepository",
    "SqlAlchemyChapterRepository",
    "SqlAlchemyJobRepository",
    "SqlAlchemyUnitOfWork",
    "SqlAlchemyUnitOfWorkFactory",
    "SqlAlchemyUserRepository",
    "create_engine",
    "metadata",
    "migrate",
    "ping",
]
