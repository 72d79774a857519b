"""Alembic migrations: upgrade, downgrade and re-upgrade on SQLite and PostgreSQL, no drift.

PostgreSQL runs in a throw-away database created for this module and dropped after it.
"""

from __future__ import annotations

import asyncio
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sqlalchemy import metadata, migrate
from tests.support.databases import fresh_database

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = {"books", "book_isbns", "chapters", "jobs", "users", "refresh_tokens"}


def _inspect(url: str) -> tuple[set[str], list[Any]]:
    """The tables in the database and what autogenerate would change to match the models."""

    def run(connection: Connection) -> tuple[set[str], list[Any]]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        tables = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        return tables, compare_metadata(context, metadata)

    async def main() -> tuple[set[str], list[Any]]:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(run)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _round_trip(url: str) -> None:
    migrate.upgrade(url)
    tables, diff = _inspect(url)
    assert tables == TABLES
    assert diff == []
    migrate.downgrade(url, "base")
    assert _inspect(url)[0] == set()
    migrate.upgrade(url, "head")
    migrate.downgrade(url)  # one step down from 0002 drops only the refresh tokens
    assert _inspect(url)[0] == TABLES - {"refresh_tokens"}
    migrate.downgrade(url)
    assert _inspect(url)[0] == set()
    migrate.upgrade(url)
    tables, diff = _inspect(url)
    assert (tables, diff) == (TABLES, [])


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """URL of a fresh empty PostgreSQL database, dropped afterwards."""
    with fresh_database(postgres_url, "migrations") as url:
        yield url


def test_sqlite_upgrade_downgrade_upgrade_without_drift(tmp_path: Path) -> None:
    _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'bookbytes.db'}")


def test_postgres_upgrade_downgrade_upgrade_without_drift(postgres_database: str) -> None:
    _round_trip(postgres_database)


def test_alembic_ini_at_the_repo_root_takes_the_url_from_x(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    config = Config(str(REPO_ROOT / "alembic.ini"), cmd_opts=Namespace(x=[f"url={url}"]))
    command.upgrade(config, "head")
    assert _inspect(url) == (TABLES, [])


async def test_migrate_refuses_to_run_inside_an_event_loop(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="outside"):
        migrate.upgrade(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
