"""Fixtures for the repository contract suites: one UnitOfWorkFactory per backend.

``uow_factory`` runs each test on the in-memory adapter, on SQLite (a fresh file per
test) and on PostgreSQL (tables created once per session in a private schema, emptied
with TRUNCATE before each test). The memory parameter needs no service.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
from domain.user import User
from tests.support.databases import empty_engine, private_schema

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
    from pathlib import Path
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

BACKENDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A private schema holding every table, created once and dropped at the end."""
    with private_schema(postgres_url, "contract") as schema:
        yield schema


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
        yield MemoryUnitOfWorkFactory()
        return
    postgres = request.param == "postgres"
    async with empty_engine(
        request.param,
        tmp_path=tmp_path,
        postgres_url=request.getfixturevalue("postgres_url") if postgres else None,
        schema=request.getfixturevalue("postgres_schema") if postgres else None,
    ) as engine:
        yield SqlAlchemyUnitOfWorkFactory(engine)


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
