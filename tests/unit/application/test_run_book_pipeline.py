"""RunBookPipeline on the memory adapters: the four steps, resume, failures, cancel."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from application.books.process_book import ProcessBook, ProcessBookCommand
from application.books.run_book_pipeline import RunBookPipelineCommand
from domain.audio import scan_mp3
from domain.book import Edition
from domain.chapter import ChapterOutline
from domain.errors import BookUnknown, TransientUpstreamError
from domain.isbn import Isbn
from domain.job import Job, JobStatus
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1000)
ISBN = "9780306406157"


async def submit(world: World, isbn: str = ISBN) -> Job:
    use_case = ProcessBook(
        uow_factory=world.uow, queue=world.queue, clock=world.clock, ids=world.ids
    )
    return (await use_case(ProcessBookCommand(OWNER, isbn))).job


async def run(world: World, job: Job, max_attempts: int = 1, **limits: int) -> Job:
    ended = await world.pipeline(**limits)(RunBookPipelineCommand(job.id, max_attempts))
    assert ended is not None
    return ended


async def test_a_book_is_looked_up_outlined_summarised_spoken_and_stored(world: World) -> None:
    job = await run(world, await submit(world))
    assert job.status is JobStatus.COMPLETED
    assert job.progress == 100
    assert job.attempts == 1
    (book,) = world.uow.db.books.values()
    assert job.book_id == book.id
    assert job.result == {"book_id": str(book.id), "chapters": 3}
    assert {"9780306406157", "0306406152"} <= set(world.uow.db.isbns)
    chapters = sorted(world.uow.db.chapters.values(), key=lambda c: c.number)
    assert [c.number for c in chapters] == [1, 2, 3]
    for chapter in chapters:
        assert chapter.is_complete
        assert chapter.audio_key in world.storage.objects
        info = scan_mp3(world.storage.objects[chapter.audio_key])
        assert info is not None
        assert chapter.duration_s == pytest.approx(info.duration_s)


async def test_a_retried_job_skips_completed_chapters(world: World) -> None:
    calls = 0
    summarize = world.summarizer.summarize

    async def flaky(book, chapter):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if chapter.number == 3 and calls <= 3:
            raise TransientUpstreamError("the model is overloaded")
        return await summarize(book, chapter)

    world.summarizer.summarize = flaky  # type: ignore[method-assign]
    job = await submit(world)
    with pytest.raises(TransientUpstreamError):
        await world.pipeline(chapter_concurrency=1)(RunBookPipelineCommand(job.id, 3))
    assert world.uow.db.jobs[job.id].status is JobStatus.PROCESSING
    done_first = [c.number for c in world.uow.db.chapters.values() if c.is_complete]
    assert done_first == [1, 2]

    ended = await run(world, job, max_attempts=3, chapter_concurrency=1)
    assert ended.status is JobStatus.COMPLETED
    assert ended.attempts == 2
    summarised = [number for _, number in world.summarizer.calls]
    assert sorted(summarised) == [1, 2, 3]  # chapters 1 and 2 were not redone
    assert len(world.uow.db.chapters) == 3


async def test_an_unknown_isbn_fails_at_once_with_book_not_found(world: World) -> None:
    world.metadata.unknown.add(ISBN)
    job = await run(world, await submit(world), max_attempts=3)
    assert job.status is JobStatus.FAILED
    assert job.error is not None
    assert job.error.code == "book_not_found"
    assert job.attempts == 1


async def test_a_book_the_model_does_not_know_fails_with_book_unknown(world: World) -> None:
    world.planner.unknown = frozenset({f"Book {ISBN}"})
    job = await run(world, await submit(world), max_attempts=3)
    assert job.error is not None
    assert job.error.code == BookUnknown.code
    assert world.uow.db.chapters == {}


async def test_a_transient_error_on_the_last_attempt_fails_the_job(world: World) -> None:
    async def down(book, chapter):  # type: ignore[no-untyped-def]
        raise TransientUpstreamError("the model timed out")

    world.summarizer.summarize = down  # type: ignore[method-assign]
    job = await run(world, await submit(world), max_attempts=1)
    assert job.status is JobStatus.FAILED
    assert job.error is not None
    assert job.error.code == "upstream_unavailable"


async def test_a_bug_is_retried_then_reported_as_internal_error(world: World) -> None:
    async def broken(book, chapter):  # type: ignore[no-untyped-def]
        raise RuntimeError("oops")

    world.summarizer.summarize = broken  # type: ignore[method-assign]
    job = await submit(world)
    with pytest.raises(RuntimeError):
        await world.pipeline()(RunBookPipelineCommand(job.id, 2))
    ended = await run(world, job, max_attempts=2)
    assert ended.status is JobStatus.FAILED
    assert ended.error is not None
    assert ended.error.code == "internal_error"


async def test_a_job_cancelled_mid_run_stops_and_keeps_finished_chapters(world: World) -> None:
    job = await submit(world)
    summarize = world.summarizer.summarize

    async def cancel_after_first(book, chapter):  # type: ignore[no-untyped-def]
        if chapter.number == 2:
            async with world.uow() as uow:
                current = await uow.jobs.get(job.id)
                assert current is not None
                await uow.jobs.save(current.cancel(world.clock.now()))
                await uow.commit()
        return await summarize(book, chapter)

    world.summarizer.summarize = cancel_after_first  # type: ignore[method-assign]
    ended = await run(world, job, chapter_concurrency=1)
    assert ended.status is JobStatus.CANCELLED
    complete = [c.number for c in world.uow.db.chapters.values() if c.is_complete]
    assert 1 in complete
    assert 3 not in complete


async def test_a_finished_job_is_not_run_again(world: World) -> None:
    job = await run(world, await submit(world))
    again = await world.pipeline()(RunBookPipelineCommand(job.id, 1))
    assert again is None
    assert world.uow.db.jobs[job.id].attempts == 1


async def test_a_real_table_of_contents_is_used_instead_of_the_planner(world: World) -> None:
    isbn = Isbn.parse(ISBN)
    world.metadata.editions[isbn.value] = Edition(
        isbn=isbn, title="Real", table_of_contents=("Opening", "Middle", "End", "Notes")
    )
    world.planner.chapters = 99
    job = await run(world, await submit(world), max_chapters=3)
    assert job.result is not None
    assert job.result["chapters"] == 3
    titles = [c.title for c in sorted(world.uow.db.chapters.values(), key=lambda c: c.number)]
    assert titles == ["Opening", "Middle", "End"]


async def test_editions_of_one_work_in_one_language_are_one_book(world: World) -> None:
    old, new, french = (Isbn.parse(i) for i in ("9780306406157", "9780140449136", "9782070360024"))
    common = {"work_key": "/works/OL1W", "authors": ("Ada",)}
    world.metadata.editions.update(
        {
            old.value: Edition(isbn=old, title="Old", publish_date=date(1990, 1, 1), **common),
            new.value: Edition(isbn=new, title="New", publish_date=date(2020, 1, 1), **common),
            french.value: Edition(isbn=french, title="Nouveau", language="fr", **common),
        }
    )
    first = await run(world, await submit(world, old.value))
    second = await run(world, await submit(world, new.value))
    assert first.book_id == second.book_id
    english = world.uow.db.books[first.book_id]  # type: ignore[index]
    assert english.title == "New"
    assert world.uow.db.isbns[new.value].book_id == english.id
    third = await run(world, await submit(world, french.value))
    assert third.book_id != first.book_id
    assert len(world.uow.db.books) == 2


async def test_planned_chapters_are_capped(world: World) -> None:
    world.planner.chapters = 10
    job = await run(world, await submit(world), max_chapters=4)
    assert job.result is not None
    assert job.result["chapters"] == 4
    assert ChapterOutline(4, "Chapter 4").number == max(n for _, n in world.uow.db.chapters)
