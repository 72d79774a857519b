"""Build the async engine for PostgreSQL (asyncpg) or SQLite (aiosqlite) from a URL.

Nothing here runs at import time: the container calls ``create_engine`` once at start-up
and disposes of the engine at shutdown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

POOL_RECYCLE_S = 1800


def create_engine(
    database_url: str,
    *,
    pool_min: int = 2,
    pool_max: int = 10,
    timeout_s: float = 30.0,
    connect_timeout_s: float = 3.0,
) -> AsyncEngine:
    """An AsyncEngine for ``database_url`` with pooling, pre-ping and timeouts.

    The pool keeps ``pool_min`` connections and opens up to ``pool_max`` in all
    (``pool_size=pool_min, max_overflow=pool_max - pool_min``). Opening a connection, or
    waiting for one from a full pool, gives up after ``connect_timeout_s`` (an unreachable
    database answers 503 fast, not after a long hang); on PostgreSQL the command and
    server-side statement timeouts are ``timeout_s``; on SQLite every
    connection gets WAL, foreign keys and a busy timeout of ``timeout_s``, and the
    database file's directory is created.

    Raises:
        ValueError: the URL is not PostgreSQL or SQLite, or the pool sizes are wrong.
    """
    if not 1 <= pool_min <= pool_max:
        raise ValueError(f"need 1 <= pool_min <= pool_max, got {pool_min} and {pool_max}")
    url = make_url(database_url)
    backend = url.get_backend_name()
    pool: dict[str, Any] = {
        "pool_size": pool_min,
        "max_overflow": pool_max - pool_min,
        "pool_timeout": connect_timeout_s,
        "pool_recycle": POOL_RECYCLE_S,
    }
    if backend == "postgresql":
        connect_args: dict[str, Any] = {
            "timeout": connect_timeout_s,
            "command_timeout": timeout_s,
            "server_settings": {
                "statement_timeout": str(int(timeout_s * 1000)),
                "application_name": "bookbytes",
            },
        }
        return create_async_engine(url, pool_pre_ping=True, connect_args=connect_args, **pool)
    if backend == "sqlite":
        if _is_memory(url):
            pool = {}  # SQLAlchemy uses a single shared connection for :memory:
        else:
            ensure_sqlite_directory(database_url)
        engine = create_async_engine(
            url, pool_pre_ping=True, connect_args={"timeout": timeout_s}, **pool
        )
        _configure_sqlite(engine, busy_timeout_ms=int(timeout_s * 1000))
        return engine
    raise ValueError(
        f"unsupported database {backend!r}: use postgresql+asyncpg or sqlite+aiosqlite"
    )


async def ping(engine: AsyncEngine) -> None:
    """Run ``SELECT 1``; raises whatever the driver raises when the database is down."""
    async with engine.connect() as connection:
        await connection.execute(sa.text("SELECT 1"))


def _is_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or "mode=memory" in database


def ensure_sqlite_directory(database_url: str) -> None:
    """Create the directory of a SQLite database file; other URLs are left alone."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or _is_memory(url):
        return
    database = url.database or ""
    if database.startswith("file:"):
        return  # a URI filename: leave it to SQLite
    Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int) -> None:
    """Set WAL, foreign keys and the busy timeout on every new SQLite connection."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        finally:
            cursor.close()
