"""JobRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from application.shared.ports import PageRequest
from domain.book import Book
from domain.errors import Conflict
from domain.job import Job, JobError, JobKind, JobSource, JobStatus, SourceKind
from domain.recipe import Mode, Recipe
from domain.speech import SpeechOptions
from tests.support.jobs import make_job as support_job
from tests.support.jobs import recipe

if TYPE_CHECKING:
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)
ISBN = "9780306406157"
OTHER_ISBN = "9780140449136"


def make_job(owner_id: UUID, isbn: str = ISBN, at: datetime = T0, **changes: object) -> Job:
    return support_job(owner_id, isbn, at, **changes)


def active(owner_id: UUID, isbn: str = ISBN, voice: str = "default") -> tuple[UUID, JobSource, str]:
    """``find_active`` arguments for an ISBN job in the default test recipe."""
    return owner_id, JobSource.isbn(isbn), recipe(voice).key


async def add(uow_factory: UnitOfWorkFactory, *jobs: Job) -> None:
    async with uow_factory() as uow:
        for job in jobs:
            await uow.jobs.add(job)
        await uow.commit()


async def test_round_trip_keeps_every_field(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> None:
    book = Book(uuid.uuid4(), "Dune", "Frank Herbert", "en", T0, T0)
    async with uow_factory() as uow:
        await uow.books.save(book)
        await uow.commit()
    minus_five = timezone(timedelta(hours=-5))
    full = make_job(
        owner_id,
        kind=JobKind.PROCESS_BOOK,
        status=JobStatus.FAILED,
        progress=40,
        current_step="failed",
        book_id=book.id,
        result={"book_id": str(book.id), "chapters": 12, "nested": {"ok": [1, 2.5, None]}},
        error=JobError("upstream_error", "Open Library answered 500 — twice"),
        attempts=3,
        source=JobSource(SourceKind.UPLOAD, "a" * 64),
        recipe=Recipe(Mode.SUMMARY_EXPLANATION, SpeechOptions("polly", "Joanna", 1.25)),
        request_id="req-123",
        started_at=datetime(2024, 5, 1, 7, 1, tzinfo=minus_five),
        finished_at=T0 + timedelta(minutes=3, microseconds=7),
        updated_at=T0 + timedelta(minutes=3),
    )
    bare = make_job(owner_id, OTHER_ISBN)
    await add(uow_factory, full, bare)
    async with uow_factory() as uow:
        loaded = await uow.jobs.get(full.id)
        assert loaded == full
        assert loaded is not None and loaded.status is JobStatus.FAILED
        assert loaded.kind is JobKind.PROCESS_BOOK
        assert await uow.jobs.get(bare.id) == bare
        assert await uow.jobs.get(uuid.uuid4()) is None


async def test_save_writes_each_state_change(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    job = make_job(owner_id)
    await add(uow_factory, job)
    states = [job.begin_attempt(T0 + timedelta(seconds=1))]
    states.append(states[-1].advance(30, "metadata", T0 + timedelta(seconds=2)))
    states.append(states[-1].fail(JobError("no_chapters", "none"), T0 + timedelta(seconds=3)))
    for state in states:
        async with uow_factory() as uow:
            await uow.jobs.save(state)
            await uow.commit()
        async with uow_factory() as uow:
            assert await uow.jobs.get(job.id) == state


async def test_find_active_sees_only_pending_or_processing(
    uow_factory: UnitOfWorkFactory, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    alice, bob = await add_user(), await add_user()
    done = make_job(alice, status=JobStatus.COMPLETED)
    pending = make_job(alice)
    processing = make_job(alice, OTHER_ISBN, status=JobStatus.PROCESSING)
    await add(uow_factory, done, pending, processing)
    async with uow_factory() as uow:
        assert await uow.jobs.find_active(*active(alice, ISBN)) == pending
        assert await uow.jobs.find_active(*active(alice, OTHER_ISBN)) == processing
        assert await uow.jobs.find_active(*active(bob, ISBN)) is None
        assert await uow.jobs.find_active(*active(alice, "9791234567896")) is None


async def test_list_for_owner_is_newest_first_and_paged(
    uow_factory: UnitOfWorkFactory, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    alice, bob = await add_user(), await add_user()
    mine = [
        make_job(alice, at=T0 + timedelta(minutes=i), status=JobStatus.COMPLETED)
        for i in (2, 0, 4, 1, 3)
    ]
    await add(uow_factory, *mine, make_job(bob))
    newest_first = sorted(mine, key=lambda j: j.created_at, reverse=True)
    async with uow_factory() as uow:
        first = await uow.jobs.list_for_owner(alice, PageRequest(limit=2))
        second = await uow.jobs.list_for_owner(alice, PageRequest(limit=2, offset=2))
        bobs = await uow.jobs.list_for_owner(bob, PageRequest())
        nobody = await uow.jobs.list_for_owner(uuid.uuid4(), PageRequest())
    assert [*first.items, *second.items] == newest_first[:4]
    assert (first.total, first.limit, first.offset, second.offset) == (5, 2, 0, 2)
    assert (bobs.total, len(bobs.items)) == (1, 1)
    assert (list(nobody.items), nobody.total) == ([], 0)


async def test_list_active_and_list_quiet(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> None:
    isbns = ["9780306406157", "9780140449136", "9780262033848", "9780131103627"]
    old_processing = make_job(owner_id, isbns[0], at=T0, status=JobStatus.PROCESSING)
    pending = make_job(owner_id, isbns[1], at=T0 + timedelta(minutes=1))
    fresh_processing = make_job(
        owner_id, isbns[2], at=T0 + timedelta(minutes=2), status=JobStatus.PROCESSING
    )
    cancelled = make_job(owner_id, isbns[3], at=T0 - timedelta(hours=1),
                         status=JobStatus.CANCELLED)  # fmt: skip
    await add(uow_factory, fresh_processing, cancelled, pending, old_processing)
    async with uow_factory() as uow:
        assert await uow.jobs.list_active() == [old_processing, pending, fresh_processing]
        cutoff = T0 + timedelta(minutes=1, seconds=30)
        assert await uow.jobs.list_quiet(cutoff) == [old_processing, pending]
        assert await uow.jobs.list_quiet(T0) == []


async def test_a_second_active_job_for_the_same_isbn_conflicts(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    first = make_job(owner_id)
    await add(uow_factory, first)
    async with uow_factory() as uow:
        with pytest.raises(Conflict):
            await uow.jobs.add(make_job(owner_id, status=JobStatus.PROCESSING))
        # ProcessBook's recovery: roll back, then read the job that won.
        await uow.rollback()
        assert await uow.jobs.find_active(*active(owner_id, ISBN)) == first


async def test_conflict_within_one_unit_of_work_keeps_earlier_writes(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    first = make_job(owner_id)
    async with uow_factory() as uow:
        await uow.jobs.add(first)
        with pytest.raises(Conflict):
            await uow.jobs.add(make_job(owner_id))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.jobs.list_active() == [first]


async def test_other_recipes_and_sources_of_the_same_book_do_not_conflict(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    female = make_job(owner_id, recipe=recipe("female"))
    male = make_job(owner_id, recipe=recipe("male"))
    upload = make_job(owner_id, source=JobSource(SourceKind.UPLOAD, ISBN))
    await add(uow_factory, make_job(owner_id), female, male, upload)
    async with uow_factory() as uow:
        assert len(await uow.jobs.list_active()) == 4
        assert await uow.jobs.find_active(*active(owner_id, voice="female")) == female
        assert await uow.jobs.find_active(*active(owner_id, voice="child")) is None
        with pytest.raises(Conflict):
            await uow.jobs.add(make_job(owner_id, recipe=recipe("male")))


async def test_finished_jobs_and_other_owners_do_not_conflict(
    uow_factory: UnitOfWorkFactory, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    alice, bob = await add_user(), await add_user()
    finished = make_job(alice, status=JobStatus.COMPLETED)
    await add(uow_factory, finished, make_job(alice, status=JobStatus.FAILED))
    await add(uow_factory, make_job(alice), make_job(bob))
    async with uow_factory() as uow:
        assert len(await uow.jobs.list_active()) == 2
        found = await uow.jobs.find_active(*active(alice, ISBN))
        assert found is not None
        await uow.jobs.save(found.cancel(T0 + timedelta(hours=1)))
        await uow.commit()
    await add(uow_factory, make_job(alice))  # the earlier one is no longer active


async def test_save_if_writes_only_when_status_and_attempts_still_match(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    job = make_job(owner_id)
    await add(uow_factory, job)
    started = job.begin_attempt(T0)
    async with uow_factory() as uow:
        assert await uow.jobs.save_if(started, status=JobStatus.PENDING, attempts=0)
        await uow.commit()
    stale = started.cancel(T0)
    async with uow_factory() as uow:
        # Someone still believing the job pending must not overwrite the started one.
        assert not await uow.jobs.save_if(stale, status=JobStatus.PENDING, attempts=0)
        # A second attempt racing the first: the attempts counter no longer matches.
        assert not await uow.jobs.save_if(stale, status=JobStatus.PROCESSING, attempts=0)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.jobs.get(job.id)
        assert stored is not None
        assert stored.status is JobStatus.PROCESSING
        assert stored.attempts == 1
        assert await uow.jobs.save_if(stale, status=JobStatus.PROCESSING, attempts=1)
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.jobs.get(job.id)
        assert stored is not None
        assert stored.status is JobStatus.CANCELLED


async def test_save_if_on_a_missing_job_writes_nothing(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    ghost = make_job(owner_id).begin_attempt(T0)
    async with uow_factory() as uow:
        assert not await uow.jobs.save_if(ghost, status=JobStatus.PENDING, attempts=0)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.jobs.get(ghost.id) is None


async def test_an_upload_job_round_trips(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> None:
    ref = f"{uuid.uuid4()}:1-5,9"
    job = make_job(owner_id, kind=JobKind.PROCESS_UPLOAD, source=JobSource(SourceKind.UPLOAD, ref))
    async with uow_factory() as uow:
        await uow.jobs.add(job)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.jobs.get(job.id)
        assert loaded is not None
        assert (loaded.kind, loaded.source) == (JobKind.PROCESS_UPLOAD, job.source)
