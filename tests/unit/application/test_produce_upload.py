"""ProcessUpload and ProduceUpload on the memory adapters: narration in parts resumed at
the part, summaries of the real text (long chapters in parts), chapter subsets, owners."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from adapters.memory.audiobook import FakeAudiobookAssembler
from adapters.memory.speech import FakeSpeechSynthesizer, KeptLoudness, silent_mp3
from adapters.memory.unit_of_work import MemoryUnitOfWork, MemoryUnitOfWorkFactory
from adapters.memory.uploads import MemoryUploadStore
from adapters.mp3_join import Mp3Joiner
from application.books.speak_rendition import SpeakRendition
from application.jobs.runner import JobRetryPolicy, JobRunner, RetryJob
from application.jobs.submit import SubmitJob
from application.uploads.ports import ExtractedChapter
from application.uploads.process_upload import ProcessUpload, ProcessUploadCommand
from application.uploads.produce_upload import ProduceUpload, UploadLimits
from domain.audio import scan_mp3
from domain.errors import TransientUpstreamError, UploadNotFound, ValidationFailed
from domain.job import Job, JobStatus
from domain.upload import BookFormat, Upload, UploadChapter, upload_file_key
from domain.user import User
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1000)
OTHER = uuid.UUID(int=2000)
SENTENCE = "The quick brown fox jumps over the lazy dog."  # 9 words, 44 characters
TEXTS = (
    ExtractedChapter(1, "One", " ".join([SENTENCE] * 10)),  # 449 characters
    ExtractedChapter(2, "Two", " ".join([SENTENCE] * 3)),
    ExtractedChapter(3, "Three", " ".join([SENTENCE] * 2)),
)


class FlakySpeech(FakeSpeechSynthesizer):
    """Fails once, on its ``fail_at``-th call."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.calls = 0
        self.fail_at = fail_at

    async def synthesize(self, text: str, **options: object) -> bytes:  # type: ignore[override]
        self.calls += 1
        if self.calls == self.fail_at:
            raise TransientUpstreamError("the engine hiccuped")
        return await super().synthesize(text, **options)  # type: ignore[arg-type]


@dataclass
class UploadWorld(World):
    part_chars: int = 100
    model_chars: int = 24_000
    files: MemoryUploadStore = field(default_factory=MemoryUploadStore)
    assembler: FakeAudiobookAssembler | None = None

    def produce_upload(self) -> ProduceUpload:
        speak = SpeakRendition(
            uow_factory=self.uow,
            engines=self.engines(),
            storage=self.storage,
            loudness=self.loudness,
            clock=self.clock,
            ids=self.ids,
        )
        self.assembler = self.assembler or FakeAudiobookAssembler(self.storage)
        return ProduceUpload(
            uow_factory=self.uow,
            speak=speak,
            summarizer=self.summarizer,
            storage=self.storage,
            joiner=Mp3Joiner(),
            assembler=self.assembler,
            files=self.files,
            clock=self.clock,
            ids=self.ids,
            limits=UploadLimits(self.part_chars, self.model_chars, chapter_concurrency=1),
        )

    def upload_runner(self, max_attempts: int = 3) -> JobRunner:
        return JobRunner(
            uow_factory=self.uow,
            clock=self.clock,
            handlers={"process_upload": self.produce_upload()},
            max_attempts=max_attempts,
            retry=JobRetryPolicy(base_delay_s=0.01),
        )

    def process_upload(self) -> ProcessUpload:
        return ProcessUpload(
            uow_factory=self.uow,
            submit=SubmitJob(uow_factory=self.uow, queue=self.queue),
            engines=self.engines(),
            clock=self.clock,
            ids=self.ids,
        )

    async def add_upload(self, owner: uuid.UUID = OWNER) -> Upload:
        async with self.uow() as uow:
            if await uow.users.get(owner) is None:
                await uow.users.add(
                    User(owner, f"{owner.hex[:8]}@example.com", "hash", datetime.now(UTC))
                )
            upload_id = self.ids.new_id()
            upload = Upload(
                id=upload_id, owner_id=owner, format=BookFormat.TXT, filename="b.txt",
                size_bytes=1000, file_key=upload_file_key(upload_id), title="Foxes",
                author="A. Writer", language="en",
                chapters=tuple(UploadChapter(t.number, t.title, t.words) for t in TEXTS),
                characters=sum(len(t.text) for t in TEXTS), created_at=self.clock.now(),
            )  # fmt: skip
            await uow.uploads.add(upload, TEXTS)
            await uow.commit()
        return upload


@pytest.fixture
def world() -> UploadWorld:
    return UploadWorld()


async def submit(world: UploadWorld, upload: Upload, **options: object) -> Job:
    command = ProcessUploadCommand(OWNER, upload.id, **options)  # type: ignore[arg-type]
    return (await world.process_upload()(command)).job


async def test_full_narrates_every_chapter_in_parts_at_sentence_ends(world: UploadWorld) -> None:
    upload = await world.add_upload()
    job = await submit(world, upload)
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.status is JobStatus.COMPLETED, ended
    assert ended.result is not None and ended.result["chapters"] == 3
    # 449 characters of whole sentences in parts of at most 100: two sentences a part.
    assert world.speech.spoken[:5] == [f"{SENTENCE} {SENTENCE}"] * 5
    assert len(world.speech.spoken) == 5 + 2 + 1
    audio = sorted(world.table("chapter_audio").values(), key=lambda a: a.number)
    assert [a.number for a in audio] == [1, 2, 3]
    first = scan_mp3(world.storage.objects[audio[0].audio_key])
    assert first is not None and first.duration_s == pytest.approx(90 * 0.4, abs=0.1)
    assert not [k for k in world.storage.objects if "/part-" in k]  # parts are cleaned up
    book = next(iter(world.table("books").values()))
    assert (book.owner_id, book.title) == (OWNER, "Foxes")
    assert next(iter(world.table("uploads").values())).book_id == book.id


async def test_a_failed_attempt_resumes_at_the_part_not_the_chapter(world: UploadWorld) -> None:
    flaky = FlakySpeech(fail_at=4)  # chapter 1 has 5 parts: parts 1-3 are kept
    world.speech = flaky
    upload = await world.add_upload()
    job = await submit(world, upload)
    runner = world.upload_runner()
    with pytest.raises(RetryJob):
        await runner.run(job.id)
    kept = [k for k in world.storage.objects if "/part-" in k]
    assert len(kept) == 3
    ended = await runner.run(job.id)
    assert ended is not None and ended.status is JobStatus.COMPLETED
    assert flaky.calls == 4 + (2 + 2 + 1)  # the failed call was the only one repeated
    assert ended.result is not None and ended.result["parts_reused"] == 3
    audio = sorted(world.table("chapter_audio").values(), key=lambda a: a.number)
    first = scan_mp3(world.storage.objects[audio[0].audio_key])
    assert first is not None and first.duration_s == pytest.approx(90 * 0.4, abs=0.1)


async def test_summary_speaks_a_summary_of_the_real_text(world: UploadWorld) -> None:
    upload = await world.add_upload()
    job = await submit(world, upload, mode="summary")
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.status is JobStatus.COMPLETED
    assert [c[2] for c in world.summarizer.text_calls] == ["summary"] * 3
    assert world.speech.spoken[0].startswith("A summary of One, from Foxes. It begins: The quick")
    chapters = sorted(world.table("chapters").values(), key=lambda c: c.number)
    assert chapters[0].summary == world.speech.spoken[0]  # kept for the next recipe


async def test_a_long_chapter_is_summarised_in_parts_then_combined(world: UploadWorld) -> None:
    world.model_chars = 200
    upload = await world.add_upload()
    job = await submit(world, upload, mode="explanation", chapters=(1,))
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.status is JobStatus.COMPLETED
    calls = world.summarizer.text_calls
    assert [c[0] for c in calls] == [
        "One (part 1 of 3)",
        "One (part 2 of 3)",
        "One (part 3 of 3)",
        "One",
    ]
    assert [c[2] for c in calls] == ["summary", "summary", "summary", "explanation"]
    assert all(c[1] <= 200 for c in calls[:3])


async def test_a_subset_of_chapters_makes_only_those(world: UploadWorld) -> None:
    upload = await world.add_upload()
    job = await submit(world, upload, chapters=(3, 2))
    assert job.source.ref == f"{upload.id}:2-3"
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.status is JobStatus.COMPLETED
    assert sorted(a.number for a in world.table("chapter_audio").values()) == [2, 3]
    everything = await submit(world, upload, chapters=(1, 2, 3))
    assert everything.source.ref == str(upload.id)  # all chapters: the plain upload id


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"chapters": (4,)}, ValidationFailed),
        ({"chapters": ()}, ValidationFailed),
        ({"mode": "poem"}, ValidationFailed),
    ],
)
async def test_bad_requests_are_refused(
    world: UploadWorld, options: dict[str, object], error: type[Exception]
) -> None:
    upload = await world.add_upload()
    with pytest.raises(error):
        await submit(world, upload, **options)


async def test_another_users_upload_cannot_be_processed(world: UploadWorld) -> None:
    upload = await world.add_upload(OTHER)
    with pytest.raises(UploadNotFound):
        await submit(world, upload)


async def test_the_same_request_in_flight_is_one_job(world: UploadWorld) -> None:
    upload = await world.add_upload()
    first = await submit(world, upload, mode="summary")
    second = await submit(world, upload, mode="summary")
    other_voice = await submit(world, upload, mode="summary", voice="female")
    assert first.id == second.id != other_voice.id


async def test_a_second_recipe_reuses_the_book(world: UploadWorld) -> None:
    upload = await world.add_upload()
    runner = world.upload_runner()
    await runner.run((await submit(world, upload)).id)
    await runner.run((await submit(world, upload, voice="male")).id)
    assert len(world.table("books")) == 1
    assert len(world.table("renditions")) == 2


class ClaimsMeet(MemoryUnitOfWorkFactory):
    """Units of work whose upload claims wait for each other: two first jobs both claim
    the upload for their own new book before either commits."""

    def __init__(self, world: World) -> None:
        super().__init__(world.uow.db)
        self.barrier = asyncio.Barrier(2)

    def __call__(self) -> MemoryUnitOfWork:
        uow = super().__call__()
        claim = uow.uploads.claim_book

        async def claim_then_meet(upload_id: uuid.UUID, book_id: uuid.UUID) -> uuid.UUID | None:
            claimed = await claim(upload_id, book_id)
            await self.barrier.wait()
            return claimed

        uow.uploads.claim_book = claim_then_meet  # type: ignore[method-assign]
        return uow


async def test_two_first_jobs_at_once_make_one_book(world: UploadWorld) -> None:
    upload = await world.add_upload()
    jobs = [await submit(world, upload, mode=mode) for mode in ("full", "summary")]
    world.uow = ClaimsMeet(world)
    runner = world.upload_runner()
    ended = await asyncio.wait_for(asyncio.gather(*(runner.run(j.id) for j in jobs)), 10)
    assert [j.status if j else None for j in ended] == [JobStatus.COMPLETED] * 2, ended
    [book] = world.table("books").values()  # the later commit was refused, its book dropped
    assert {j.result["book_id"] for j in ended if j and j.result} == {str(book.id)}
    assert world.table("uploads")[upload.id].book_id == book.id
    assert sorted(n for b, n in world.table("chapters") if b == book.id) == [1, 2, 3]


async def test_the_whole_book_is_assembled_in_chapter_order(world: UploadWorld) -> None:
    upload = await world.add_upload()
    job = await submit(world, upload, chapters=(3, 1))
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.result is not None
    assert ended.result["audiobook"] == ["m4b", "mp3"]
    assert world.assembler is not None
    [(titles, title, targets)] = world.assembler.made
    assert (titles, title) == (["One", "Three"], "Foxes")
    rendition = ended.result["rendition_id"]
    assert targets["m4b"].endswith(f"/renditions/{rendition}/audiobook.m4b")
    whole = scan_mp3(world.storage.objects[targets["mp3"]])
    assert whole is not None and whole.duration_s == pytest.approx((90 + 18) * 0.4, abs=0.1)


async def test_each_chapter_is_prepared_for_the_audiobook_as_soon_as_it_is_spoken(
    world: UploadWorld,
) -> None:
    upload = await world.add_upload()
    job = await submit(world, upload, mode="summary")
    ended = await world.upload_runner().run(job.id)
    assert ended is not None and ended.result is not None and world.assembler is not None
    rendition = ended.result["rendition_id"]
    assert [k.rsplit("/", 2)[1:] for k in world.assembler.prepared] == [
        [rendition, f"chapter-{n:03d}.m4a"] for n in (1, 2, 3)
    ]
    assert all(key in world.storage.objects for key in world.assembler.prepared)


async def test_chapter_audio_is_stored_as_the_loudness_normalizer_made_it(
    world: UploadWorld,
) -> None:
    louder = silent_mp3(7.0)

    class Louder(KeptLoudness):
        async def normalize(self, audio: bytes) -> bytes:
            await super().normalize(audio)
            return louder

    world.loudness = Louder()
    upload = await world.add_upload()
    ended = await world.upload_runner().run((await submit(world, upload, mode="summary")).id)
    assert ended is not None and ended.status is JobStatus.COMPLETED
    audio = list(world.table("chapter_audio").values())
    assert len(audio) == len(world.loudness.seen) == 3
    assert all(world.storage.objects[a.audio_key] == louder for a in audio)
    assert all(a.duration_s == pytest.approx(7.0, abs=0.03) for a in audio)
