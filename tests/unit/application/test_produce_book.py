"""ProduceBook run by the JobRunner on the memory adapters: the steps, resume, failures,
cancel, and the attempt budget."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from application.books.process_book import ProcessBookCommand
from application.jobs.runner import RetryJob
from domain.audio import scan_mp3
from domain.book import Edition
from domain.chapter import ChapterOutline
from domain.errors import (
    BookUnknown,
    InvalidProvider,
    InvalidVoice,
    TransientUpstreamError,
    ValidationFailed,
)
from domain.isbn import Isbn
from domain.job import Job, JobStatus
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1000)
ISBN = "9780306406157"


async def submit(world: World, isbn: str = ISBN, voice: str | None = None) -> Job:
    command = ProcessBookCommand(OWNER, isbn, voice=voice)
    return (await world.process_book()(command)).job


async def run(world: World, job: Job, max_attempts: int = 1, **limits: int) -> Job:
    ended = await world.runner(max_attempts, **limits).run(job.id)
    assert ended is not None
    return ended


async def test_a_book_is_looked_up_outlined_summarised_spoken_and_stored(world: World) -> None:
    job = await run(world, await submit(world))
    assert job.status is JobStatus.COMPLETED
    assert job.progress == 100
    assert job.attempts == 1
    (book,) = world.table("books").values()
    (rendition,) = world.table("renditions").values()
    assert job.book_id == book.id
    assert job.result == {
        "book_id": str(book.id),
        "rendition_id": str(rendition.id),
        "chapters": 3,
    }
    assert rendition.is_complete
    assert (rendition.mode.value, rendition.speech.key) == ("summary", "memory|default|1.00")
    assert {"9780306406157", "0306406152"} <= set(world.table("isbns"))
    chapters = sorted(world.table("chapters").values(), key=lambda c: c.number)
    assert [c.number for c in chapters] == [1, 2, 3]
    assert all(c.summary for c in chapters)
    audio = sorted(world.table("chapter_audio").values(), key=lambda a: a.number)
    assert [a.number for a in audio] == [1, 2, 3]
    for spoken in audio:
        assert spoken.rendition_id == rendition.id
        info = scan_mp3(world.storage.objects[spoken.audio_key])
        assert info is not None
        assert spoken.duration_s == pytest.approx(info.duration_s)


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
    with pytest.raises(RetryJob) as retry:
        await world.runner(3, chapter_concurrency=1).run(job.id)
    assert isinstance(retry.value.__cause__, TransientUpstreamError)
    assert world.table("jobs")[job.id].status is JobStatus.PROCESSING
    assert sorted(c.number for c in world.table("chapters").values() if c.summary) == [1, 2]

    ended = await run(world, job, max_attempts=3, chapter_concurrency=1)
    assert ended.status is JobStatus.COMPLETED
    assert ended.attempts == 2
    summarised = [number for _, number in world.summarizer.calls]
    assert sorted(summarised) == [1, 2, 3]  # chapters 1 and 2 were not redone
    assert len(world.table("chapters")) == 3


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
    assert world.table("chapters") == {}


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
    with pytest.raises(RetryJob) as retry:
        await world.runner(2).run(job.id)
    assert isinstance(retry.value.__cause__, RuntimeError)
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
    summarised = sorted(c.number for c in world.table("chapters").values() if c.summary)
    assert 1 in summarised
    assert 3 not in summarised
    assert [number for _, number in world.table("chapter_audio")] == [1]


async def test_a_finished_job_is_not_run_again(world: World) -> None:
    job = await run(world, await submit(world))
    again = await world.runner().run(job.id)
    assert again is None
    assert world.table("jobs")[job.id].attempts == 1


async def test_a_real_table_of_contents_is_used_instead_of_the_planner(world: World) -> None:
    isbn = Isbn.parse(ISBN)
    world.metadata.editions[isbn.value] = Edition(
        isbn=isbn, title="Real", table_of_contents=("Opening", "Middle", "End", "Notes")
    )
    world.planner.chapters = 99
    job = await run(world, await submit(world), max_chapters=3)
    assert job.result is not None
    assert job.result["chapters"] == 3
    titles = [c.title for c in sorted(world.table("chapters").values(), key=lambda c: c.number)]
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
    english = world.table("books")[first.book_id]
    assert english.title == "New"
    assert world.table("isbns")[new.value].book_id == english.id
    third = await run(world, await submit(world, french.value))
    assert third.book_id != first.book_id
    assert len(world.table("books")) == 2


async def test_planned_chapters_are_capped(world: World) -> None:
    world.planner.chapters = 10
    job = await run(world, await submit(world), max_chapters=4)
    assert job.result is not None
    assert job.result["chapters"] == 4
    assert ChapterOutline(4, "Chapter 4").number == max(n for _, n in world.table("chapters"))


async def test_each_voice_is_its_own_rendition_and_a_known_recipe_is_not_spoken_again(
    world: World,
) -> None:
    female = await run(world, await submit(world, voice="female"))
    male = await run(world, await submit(world, voice="male"))
    assert female.result is not None and male.result is not None
    assert female.result["book_id"] == male.result["book_id"]
    assert female.result["rendition_id"] != male.result["rendition_id"]
    assert len(world.summarizer.calls) == 3  # the second recipe reused the summaries
    assert len(world.speech.spoken) == 6
    renditions = {r.speech.voice: r for r in world.table("renditions").values()}
    assert set(renditions) == {"female", "male"}
    audio = world.table("chapter_audio")
    assert (
        audio[(renditions["female"].id, 1)].audio_key != audio[(renditions["male"].id, 1)].audio_key
    )

    again = await run(world, await submit(world, voice="female"))
    assert again.status is JobStatus.COMPLETED
    assert again.result == female.result
    assert len(world.speech.spoken) == 6  # made from stored audio: no speech call


async def test_a_job_that_keeps_dying_is_failed_once_its_attempts_are_used_up(
    world: World,
) -> None:
    job = await submit(world)
    async with world.uow() as uow:  # three attempts began, each cut short by a crash
        stored = await uow.jobs.get(job.id)
        assert stored is not None
        crashed = stored.begin_attempt(world.clock.now())
        for _ in range(2):
            crashed = crashed.begin_attempt(world.clock.now())
        await uow.jobs.save(crashed)
        await uow.commit()

    assert await world.runner(3).run(job.id) is None
    ended = world.table("jobs")[job.id]
    assert ended.status is JobStatus.FAILED
    assert ended.error is not None and ended.error.code == "attempts_exhausted"
    assert ended.attempts == 3
    assert world.metadata.lookups == []  # the use case was not run a fourth time


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"voice": "en+" + "x" * 40}, InvalidVoice),
        ({"voice": "no-such-voice"}, InvalidVoice),
        ({"voice": "fe male"}, InvalidVoice),
        ({"provider": "polly"}, InvalidProvider),
        ({"speed": 5.0}, ValidationFailed),
        ({"speed": 0.49}, ValidationFailed),
        ({"mode": "full"}, ValidationFailed),
        ({"mode": "poem"}, ValidationFailed),
    ],
)
async def test_a_bad_recipe_is_refused_before_any_job_exists(
    world: World, options: dict[str, object], error: type[Exception]
) -> None:
    command = ProcessBookCommand(OWNER, ISBN, **options)  # type: ignore[arg-type]
    with pytest.raises(error):
        await world.process_book()(command)
    assert world.table("jobs") == {}
    assert world.queue.queued == []


async def test_the_same_book_and_recipe_in_flight_is_one_job(world: World) -> None:
    first = await submit(world, voice="female")
    second = await submit(world, voice="female")
    other = await submit(world, voice="male")
    assert first.id == second.id
    assert other.id != first.id
    assert world.queue.queued == [first.id, other.id]
