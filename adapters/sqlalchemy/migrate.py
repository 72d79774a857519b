"""Run the Alembic migrations from Python (what ``bookbytes db upgrade|downgrade`` calls).

These functions are synchronous and start their own event loop for the async engine,
so call them outside a running loop (the CLI runs them before the server starts).
They do not read the environment: the caller passes the database URL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from adapters.sqlalchemy.engine import ensure_sqlite_directory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic Config for our migrations and ``database_url`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolates "%": escape it so passwords with "%" survive.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database up to ``revision`` (default: the latest).

    Raises:
        RuntimeError: called from inside a running event loop.
    """
    _outside_event_loop()
    ensure_sqlite_directory(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "-1") -> None:
    """Migrate the database down to ``revision`` (default: one step; "base" empties it).

    Raises:
        RuntimeError: called from inside a running event loop.
    """
    _outside_event_loop()
    command.downgrade(alembic_config(database_url), revision)


def _outside_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        "migrate.upgrade/downgrade start their own event loop: call them outside one "
        "(e.g. before the server starts, or via asyncio.to_thread)"
    )
