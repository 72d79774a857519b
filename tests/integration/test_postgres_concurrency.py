"""Concurrency guarantees that only the database can give, proved with real overlap.

Each race runs two units of work on separate connections; an asyncio.Barrier makes both
pass their read before either writes, so without the database's unique indexes both
would insert. Runs on PostgreSQL, and on SQLite for the embedded mode.
"""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory, create_engine, metadata
from application.process_book import ProcessBook, ProcessBookCommand
from domain.book import Book
from domain.chapter import Chapter
from domain.errors import Conflict
from domain.job import Job
from domain.user import User

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path
    from uuid import UUID

    from sqlalchemy.ext.asyncio import AsyncEngine

T0 = datetime(2024, 5, 1, tzinfo=UTC)
ISBN = "9780306406157"


def _run(coroutine: Any) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=60)


async def _on_admin_engine(url: str, *statements: str, create: bool = False) -> None:
    engine = create_engine(url, pool_min=1, pool_max=1, timeout_s=10)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(sa.text(statement))
            if create:
                schema = statements[0].split('"')[1]
                scoped = await connection.execution_options(schema_translate_map={None: schema})
                await scoped.run_sync(metadata.create_all)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    schema = f"concurrency_{uuid.uuid4().hex[:10]}"
    _run(_on_admin_engine(postgres_url, f'CREATE SCHEMA "{schema}"', create=True))
    yield schema
    _run(_on_admin_engine(postgres_url, f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
async def factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    engine: AsyncEngine
    if request.param == "sqlite":
        engine = create_engine(
            f"sqlite+aiosqlite:///{tmp_path / 'race.db'}", pool_min=2, pool_max=4, timeout_s=10
        )
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        scoped = engine
    else:
        url = request.getfixturevalue("postgres_url")
        schema = request.getfixturevalue("postgres_schema")
        engine = create_engine(url, pool_min=2, pool_max=4, timeout_s=10)
        scoped = engine.execution_options(schema_translate_map={None: schema})
        async with engine.begin() as connection:
            names = ", ".join(f'"{schema}".{t.name}' for t in metadata.sorted_tables)
            await connection.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    try:
        yield SqlAlchemyUnitOfWorkFactory(scoped)
    finally:
        await engine.dispose()


async def _seed(factory: SqlAlchemyUnitOfWorkFactory) -> tuple[UUID, UUID]:
    """A committed user and book; returns (user_id, book_id)."""
    user = User(uuid.uuid4(), f"{uuid.uuid4().hex[:8]}@example.com", "hash", T0)
    book = Book(uuid.uuid4(), "Dune", "Frank Herbert", "en", T0, T0)
    async with factory() as uow:
        await uow.users.add(user)
        await uow.books.save(book)
        await uow.commit()
    return user.id, book.id


async def test_concurrent_saves_of_one_chapter_leave_one_row(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    _, book_id = await _seed(factory)
    racers = 3
    barrier = asyncio.Barrier(racers)

    async def save(title: str) -> UUID:
        chapter = Chapter(uuid.uuid4(), book_id, 1, title, T0, T0)
        async with factory() as uow:
            assert await uow.chapters.get(book_id, 1) is None  # everyone sees no row yet
            await barrier.wait()
            await uow.chapters.save(chapter)
            await uow.commit()
        return chapter.id

    ids = await asyncio.wait_for(asyncio.gather(*(save(f"T{i}") for i in range(racers))), 30)
    async with factory() as uow:
        rows = await uow.chapters.list_for_book(book_id)
    assert len(rows) == 1
    assert rows[0].id in ids


async def test_concurrent_inserts_of_an_active_job_leave_one(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    owner_id, _ = await _seed(factory)
    barrier = asyncio.Barrier(2)

    async def submit() -> str:
        job = Job(uuid.uuid4(), owner_id, ISBN, T0, T0)
        async with factory() as uow:
            assert await uow.jobs.find_active(owner_id, ISBN) is None
            await barrier.wait()
            try:
                await uow.jobs.add(job)
                await uow.commit()
            except Conflict:
                await uow.rollback()
                assert await uow.jobs.find_active(owner_id, ISBN) is not None
                return "conflict"
            return "created"

    outcomes = await asyncio.wait_for(asyncio.gather(submit(), submit()), 30)
    assert sorted(outcomes) == ["conflict", "created"]
    async with factory() as uow:
        assert len(await uow.jobs.list_active()) == 1


class _Queue:
    def __init__(self) -> None:
        self.enqueued: list[UUID] = []

    async def enqueue(self, job_id: UUID) -> None:
        self.enqueued.append(job_id)

    async def cancel(self, job_id: UUID) -> None:
        return None

    async def ping(self) -> None:
        return None


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class _Ids:
    def new_id(self) -> UUID:
        return uuid.uuid4()


class _GatedFactory:
    """Units of work whose first find_active waits at a barrier, so both requests race."""

    def __init__(self, inner: SqlAlchemyUnitOfWorkFactory, barrier: asyncio.Barrier) -> None:
        self._inner = inner
        self._barrier = barrier

    def __call__(self) -> Any:
        uow = self._inner()
        find_active = uow.jobs.find_active
        first = True

        async def gated(owner_id: UUID, isbn: str) -> Job | None:
            nonlocal first
            found = await find_active(owner_id, isbn)
            if first:
                first = False
                await self._barrier.wait()
            return found

        uow.jobs.find_active = gated  # type: ignore[method-assign]
        return uow


async def test_two_process_book_requests_at_once_share_one_job(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    owner_id, _ = await _seed(factory)
    queue = _Queue()
    process = ProcessBook(
        uow_factory=_GatedFactory(factory, asyncio.Barrier(2)), queue=queue, clock=_Clock(),
        ids=_Ids(),
    )  # fmt: skip
    command = ProcessBookCommand(owner_id=owner_id, isbn="0-306-40615-2")
    first, second = await asyncio.wait_for(asyncio.gather(process(command), process(command)), 30)
    assert first.job.id == second.job.id
    assert sorted([first.created, second.created]) == [False, True]
    assert set(queue.enqueued) == {first.job.id}  # enqueueing is idempotent
