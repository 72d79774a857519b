"""Empty SQLAlchemy databases for tests: a fresh SQLite file, or a private PostgreSQL schema.

``private_schema`` creates every table once in a schema of its own; ``fresh_database`` creates
a whole PostgreSQL database; ``empty_engine`` hands a test an engine on an empty database of
either kind (PostgreSQL tables are TRUNCATEd). Every schema and database a run creates is
named ``<TEST_POSTGRES_PREFIX>_<purpose>_<RUN_ID>_<random>`` (prefix default
``bookbytes_test``), so concurrent runs on one server never meet, and the session drops
(and reports) any of this run's that a test left behind.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy import create_engine, metadata
from tests.support.redis_db import RUN_ID

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncEngine


PREFIX_ENV = "TEST_POSTGRES_PREFIX"
_MAX_IDENTIFIER = 63


def run_on_own_loop(coroutine: Any) -> Any:
    """Run a coroutine on a loop of its own (session fixtures outlive test loops)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def run_prefix() -> str:
    """The start of every schema and database name this run creates."""
    prefix = os.environ.get(PREFIX_ENV, "").strip().lower() or "bookbytes_test"
    if not prefix.replace("_", "").isalnum():
        raise ValueError(f"{PREFIX_ENV} must be letters, digits and _, got {prefix!r}")
    return prefix


def object_name(purpose: str) -> str:
    """A new schema or database name: prefix, purpose, this run's id, a random part."""
    name = f"{run_prefix()}_{purpose}_{RUN_ID}_{uuid.uuid4().hex[:6]}"
    if len(name) > _MAX_IDENTIFIER:
        raise ValueError(f"{name!r} is longer than PostgreSQL's {_MAX_IDENTIFIER} characters")
    return name


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _execute(url: str, statement: str, *args: Any) -> list[Any]:
    import asyncpg

    connection = await asyncpg.connect(_dsn(url), timeout=10)
    try:
        return list(await connection.fetch(statement, *args))
    finally:
        await connection.close()


@contextmanager
def fresh_database(postgres_url: str, purpose: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on ``postgres_url``'s server; dropped after."""
    name = object_name(purpose)
    run_on_own_loop(_execute(postgres_url, f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        run_on_own_loop(_execute(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def sweep_run_objects(postgres_url: str) -> list[str]:
    """Drop this run's databases and schemas that are still there; return their names."""
    pattern = f"{run_prefix()}\\_%\\_{RUN_ID}\\_%"

    async def sweep() -> list[str]:
        databases = await _execute(
            postgres_url, "SELECT datname FROM pg_database WHERE datname LIKE $1", pattern
        )
        schemas = await _execute(
            postgres_url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", pattern
        )
        for (name,) in databases:
            await _execute(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for (name,) in schemas:
            await _execute(postgres_url, f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        return sorted(name for (name,) in [*databases, *schemas])

    left: list[str] = run_on_own_loop(sweep())
    return left


async def _admin(url: str, statement: str, schema: str | None = None) -> None:
    engine = create_engine(url, pool_min=1, pool_max=1, timeout_s=10)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text(statement))
            if schema is not None:
                scoped = await connection.execution_options(schema_translate_map={None: schema})
                await scoped.run_sync(metadata.create_all)
    finally:
        await engine.dispose()


@contextmanager
def private_schema(postgres_url: str, purpose: str) -> Iterator[str]:
    """A PostgreSQL schema holding every table; dropped at the end."""
    schema = object_name(purpose)
    run_on_own_loop(_admin(postgres_url, f'CREATE SCHEMA "{schema}"', schema))
    try:
        yield schema
    finally:
        run_on_own_loop(_admin(postgres_url, f'DROP SCHEMA "{schema}" CASCADE'))


@asynccontextmanager
async def empty_engine(
    backend: str,
    *,
    tmp_path: Path,
    postgres_url: str | None = None,
    schema: str | None = None,
    pool_max: int = 10,
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database: ``sqlite`` (a new file) or ``postgres`` (``schema``)."""
    if backend == "sqlite":
        engine = create_engine(
            f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
            pool_min=2,
            pool_max=pool_max,
            timeout_s=10,
        )
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        scoped = engine
    else:
        assert postgres_url is not None and schema is not None
        engine = create_engine(postgres_url, pool_min=2, pool_max=pool_max, timeout_s=10)
        scoped = engine.execution_options(schema_translate_map={None: schema})
        async with engine.begin() as connection:
            names = ", ".join(f'"{schema}".{t.name}' for t in metadata.sorted_tables)
            await connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    try:
        yield scoped
    finally:
        await engine.dispose()


async def wait_for_lock_waiter(engine: AsyncEngine, statement_like: str) -> None:
    """Return once a PostgreSQL session whose statement matches ``statement_like`` (a LIKE
    pattern) waits on a lock: proof that a racer is blocked, not just started."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :q"
    )
    while True:
        async with engine.connect() as connection:
            if (await connection.execute(query, {"q": statement_like})).scalar_one():
                return
        await asyncio.sleep(0.01)
