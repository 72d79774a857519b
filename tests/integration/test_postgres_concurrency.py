"""Concurrency guarantees that only the database can give, proved with real overlap.

Each race runs two units of work on separate connections; an asyncio.Barrier makes both
pass their read before either writes, so without the database's unique indexes both
would insert. Runs on PostgreSQL, and on SQLite for the embedded mode.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from adapters.memory.speech import FakeSpeechSynthesizer
from adapters.speech_engines import SpeechEngineRegistry
from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
from application.books.process_book import ProcessBook, ProcessBookCommand
from application.jobs.submit import SubmitJob
from domain.book import Book
from domain.chapter import Chapter
from domain.errors import Conflict
from domain.job import Job, JobSource
from domain.user import User
from tests.support.databases import empty_engine, private_schema
from tests.support.jobs import make_job

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path
    from uuid import UUID


T0 = datetime(2024, 5, 1, tzinfo=UTC)
ISBN = "9780306406157"


@pytest.fixture(scope="module")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    with private_schema(postgres_url, "concurrency") as schema:
        yield schema


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
async def factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    postgres = request.param == "postgres"
    async with empty_engine(
        request.param,
        tmp_path=tmp_path,
        postgres_url=request.getfixturevalue("postgres_url") if postgres else None,
        schema=request.getfixturevalue("postgres_schema") if postgres else None,
        pool_max=4,
    ) as engine:
        yield SqlAlchemyUnitOfWorkFactory(engine)


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
        job = make_job(owner_id, ISBN, T0)
        found = (owner_id, job.source, job.recipe.key)
        async with factory() as uow:
            assert await uow.jobs.find_active(*found) is None
            await barrier.wait()
            try:
                await uow.jobs.add(job)
                await uow.commit()
            except Conflict:
                await uow.rollback()
                assert await uow.jobs.find_active(*found) is not None
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

        async def gated(owner_id: UUID, source: JobSource, recipe_key: str) -> Job | None:
            nonlocal first
            found = await find_active(owner_id, source, recipe_key)
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
    submit = SubmitJob(uow_factory=_GatedFactory(factory, asyncio.Barrier(2)), queue=queue)
    engines = SpeechEngineRegistry({"memory": FakeSpeechSynthesizer}, default="memory")
    process = ProcessBook(submit=submit, engines=engines, clock=_Clock(), ids=_Ids())
    command = ProcessBookCommand(owner_id=owner_id, isbn="0-306-40615-2")
    first, second = await asyncio.wait_for(asyncio.gather(process(command), process(command)), 30)
    assert first.job.id == second.job.id
    assert sorted([first.created, second.created]) == [False, True]
    assert set(queue.enqueued) == {first.job.id}  # enqueueing is idempotent
