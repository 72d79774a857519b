"""Empty SQLAlchemy databases for tests: a fresh SQLite file, or a private PostgreSQL schema.

``private_schema`` creates every table once in a schema of its own; ``empty_engine`` hands a
test an engine on an empty database of either kind (PostgreSQL tables are TRUNCATEd).
"""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy import create_engine, metadata

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    from sqlalchemy.ext.asyncio import AsyncEngine


def run_on_own_loop(coroutine: Any) -> None:
    """Run a coroutine on a loop of its own (session fixtures outlive test loops)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=60)


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
def private_schema(postgres_url: str, prefix: str) -> Iterator[str]:
    """A PostgreSQL schema holding every table; dropped at the end."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
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
