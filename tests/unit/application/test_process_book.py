"""ProcessBook: validate, de-duplicate in-flight jobs, create and enqueue."""

from __future__ import annotations

import uuid

import pytest

from application.books.process_book import ProcessBook, ProcessBookCommand
from domain.errors import InvalidIsbn, TransientUpstreamError
from domain.job import JobStatus
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1000)


def process_book(world: World) -> ProcessBook:
    return world.process_book()


async def test_a_new_isbn_creates_a_pending_job_and_queues_it(world: World) -> None:
    result = await process_book(world)(ProcessBookCommand(OWNER, "0-306-40615-2", speed=1.2))
    assert result.created
    stored = world.uow.db.table("jobs")[result.job.id]
    assert stored.status is JobStatus.PENDING
    assert stored.isbn == "9780306406157"
    assert stored.recipe.key == "summary|memory|default|1.20"
    assert world.queue.queued == [result.job.id]


async def test_the_same_book_in_flight_returns_the_existing_job(world: World) -> None:
    use_case = process_book(world)
    first = await use_case(ProcessBookCommand(OWNER, "0306406152"))
    again = await use_case(ProcessBookCommand(OWNER, "978-0-306-40615-7"))
    assert not again.created
    assert again.job.id == first.job.id
    assert len(world.uow.db.table("jobs")) == 1
    assert world.queue.queued == [first.job.id]


async def test_another_owner_gets_their_own_job(world: World) -> None:
    use_case = process_book(world)
    mine = await use_case(ProcessBookCommand(OWNER, "0306406152"))
    theirs = await use_case(ProcessBookCommand(uuid.UUID(int=2000), "0306406152"))
    assert theirs.created
    assert theirs.job.id != mine.job.id


async def test_a_bad_isbn_stores_nothing(world: World) -> None:
    with pytest.raises(InvalidIsbn):
        await process_book(world)(ProcessBookCommand(OWNER, "0306406153"))
    assert world.uow.db.table("jobs") == {}
    assert world.queue.queued == []


async def test_a_job_the_queue_refuses_is_kept_and_queued_on_the_next_submit(
    world: World,
) -> None:
    world.queue.down = True
    with pytest.raises(TransientUpstreamError):
        await process_book(world)(ProcessBookCommand(OWNER, "0306406152"))
    (job,) = world.uow.db.table("jobs").values()
    assert job.status is JobStatus.PENDING
    assert world.queue.queued == []

    world.queue.down = False
    again = await process_book(world)(ProcessBookCommand(OWNER, "0306406152"))
    assert again.job.id == job.id
    assert world.queue.queued == [job.id]
