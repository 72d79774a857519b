"""Fixtures for the repository contract suites: one UnitOfWorkFactory per backend.

``uow_factory`` runs each test on the in-memory adapter, on SQLite (a fresh file per
test) and on PostgreSQL (tables created once per session in a private schema, emptied
with TRUNCATE before each test). The memory parameter needs no service.
"""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

import pytest
import sqlalchemy as sa

from adapters.memory.repositories import MemoryUnitOfWorkFactory
from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory, create_engine, metadata
from domain.user import User

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
    from pathlib import Path
    from uuid import UUID

    from application.ports import UnitOfWorkFactory

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_TABLES = ", ".join(table.name for table in metadata.sorted_tables)


def _run(coroutine: object) -> None:
    """Run a coroutine on a loop of its own (session fixtures outlive test loops)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=60)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A private schema holding every table, created once and dropped at the end."""
    schema = f"contract_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        engine = create_engine(postgres_url, pool_min=1, pool_max=1, timeout_s=10)
        try:
            async with engine.begin() as connection:
                await connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
                translated = await connection.execution_options(schema_translate_map={None: schema})
                await translated.run_sync(metadata.create_all)
        finally:
            await engine.dispose()

    async def drop() -> None:
        engine = create_engine(postgres_url, pool_min=1, pool_max=1, timeout_s=10)
        try:
            async with engine.begin() as connection:
                await connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        finally:
            await engine.dispose()

    _run(create())
    yield schema
    _run(drop())


@pytest.fixture
def uow_backend(request: pytest.FixtureRequest) -> str:
    """Which backend the current ``uow_factory`` parameter is."""
    return str(request.node.callspec.params["uow_factory"])


@pytest.fixture(params=BACKENDS)
async def uow_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[UnitOfWorkFactory]:
    """A UnitOfWorkFactory over an empty database of the parametrised backend."""
    if request.param == "memory":
        # cast: MemoryUnitOfWork's repository attributes are not annotated with the ports,
        # and the UnitOfWork protocol's attributes are invariant.
        yield cast("UnitOfWorkFactory", MemoryUnitOfWorkFactory())
        return
    if request.param == "sqlite":
        engine = create_engine(
            f"sqlite+aiosqlite:///{tmp_path / 'contract.db'}", pool_min=2, pool_max=10, timeout_s=5
        )
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        scoped = engine
    else:
        url = request.getfixturevalue("postgres_url")
        schema = request.getfixturevalue("postgres_schema")
        engine = create_engine(url, pool_min=2, pool_max=10, timeout_s=10)
        scoped = engine.execution_options(schema_translate_map={None: schema})
        async with engine.begin() as connection:
            tables = ", ".join(f'"{schema}".{name}' for name in _TABLES.split(", "))
            await connection.execute(sa.text(f"TRUNCATE {tables} CASCADE"))
    try:
        yield SqlAlchemyUnitOfWorkFactory(scoped)
    finally:
        await engine.dispose()


@pytest.fixture
def add_user(uow_factory: UnitOfWorkFactory) -> Callable[[], Awaitable[UUID]]:
    """Commit a new user and return its id (jobs need an owner that exists)."""
    return lambda: _add_user(uow_factory)


@pytest.fixture
async def owner_id(add_user: Callable[[], Awaitable[UUID]]) -> UUID:
    """The id of a committed user."""
    return await add_user()


async def _add_user(uow_factory: UnitOfWorkFactory) -> UUID:
    user_id = uuid.uuid4()
    user = User(
        id=user_id,
        email=f"{user_id.hex[:12]}@example.com",
        password_hash="argon2-hash",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    async with uow_factory() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user_id
