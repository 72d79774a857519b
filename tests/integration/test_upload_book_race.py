"""Two first jobs for one upload, run at once on a real database, make one book.

``full`` and ``summary`` submitted together and taken by two workers both find the upload
without a book. A barrier makes both read before either writes, so both make a book; only
one claim on the upload may count. On PostgreSQL the winner also waits, its claim not yet
committed, until the loser's claim is seen blocked on the upload's row lock. Runs on
PostgreSQL, and on SQLite for the embedded mode.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from adapters.memory.audiobook import FakeAudiobookAssembler
from adapters.memory.llm import FakeSummarizer
from adapters.memory.queue import MemoryJobQueue
from adapters.memory.speech import FakeSpeechSynthesizer, KeptLoudness
from adapters.memory.storage import MemoryAudioStorage
from adapters.memory.uploads import MemoryUploadStore
from adapters.mp3_join import Mp3Joiner
from adapters.speech_engines import SpeechEngineRegistry
from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
from adapters.sqlalchemy.tables.books import books
from adapters.system import SystemClock, Uuid4Generator
from application.books.speak_rendition import SpeakRendition
from application.jobs.runner import JobRetryPolicy, JobRunner
from application.jobs.submit import SubmitJob
from application.uploads.ports import ExtractedChapter
from application.uploads.process_upload import ProcessUpload, ProcessUploadCommand
from application.uploads.produce_upload import ProduceUpload
from domain.book import Book
from domain.job import JobStatus
from domain.upload import BookFormat, Upload, UploadChapter, upload_file_key
from domain.user import User
from tests.support.databases import empty_engine, private_schema, wait_for_lock_waiter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path
    from uuid import UUID

T0 = datetime(2024, 5, 1, tzinfo=UTC)
TEXTS = (
    ExtractedChapter(1, "One", "The fox ran. " * 20),
    ExtractedChapter(2, "Two", "The dog slept. " * 20),
    ExtractedChapter(3, "Three", "The end came. " * 20),
)


@pytest.fixture(scope="module")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    with private_schema(postgres_url, "upload_race") as schema:
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
        pool_max=6,
    ) as engine:
        yield SqlAlchemyUnitOfWorkFactory(engine)


class RacingBooks:
    """Units of work where the first two new books wait for each other before being saved
    (both racers have read the upload without a book), and, on PostgreSQL, a winning claim
    holds until the other racer's claim waits on the upload's row lock."""

    def __init__(self, inner: SqlAlchemyUnitOfWorkFactory) -> None:
        self._inner = inner
        self._barrier = asyncio.Barrier(2)
        self._waiting = 2
        self.engine = inner.engine

    def __call__(self) -> Any:
        uow = self._inner()
        save, claim = uow.books.save, uow.uploads.claim_book

        async def save_at_once(book: Book) -> None:
            if self._waiting:
                self._waiting -= 1
                await self._barrier.wait()
            await save(book)

        async def claim_held(upload_id: UUID, book_id: UUID) -> UUID | None:
            claimed = await claim(upload_id, book_id)
            if claimed == book_id and self.engine.dialect.name == "postgresql":
                await wait_for_lock_waiter(self.engine, "%uploads SET book_id%")
            return claimed

        uow.books.save = save_at_once
        uow.uploads.claim_book = claim_held
        return uow


async def _upload(factory: SqlAlchemyUnitOfWorkFactory) -> Upload:
    owner = User(uuid.uuid4(), f"{uuid.uuid4().hex[:8]}@example.com", "hash", T0)
    upload_id = uuid.uuid4()
    upload = Upload(
        id=upload_id, owner_id=owner.id, format=BookFormat.TXT, filename="fox.txt",
        size_bytes=1000, file_key=upload_file_key(upload_id), title="Foxes",
        author="A. Writer", language="en",
        chapters=tuple(UploadChapter(t.number, t.title, t.words) for t in TEXTS),
        characters=sum(len(t.text) for t in TEXTS), created_at=T0,
    )  # fmt: skip
    # A book already known by the same words: on PostgreSQL a trigger adds a new book's
    # title and author words to the search word list, and two transactions adding the same
    # new word would wait for each other there, before the claim this test is about.
    known = Book(uuid.uuid4(), upload.title, upload.author, "en", T0, T0)
    async with factory() as uow:
        await uow.users.add(owner)
        await uow.books.save(known)
        await uow.uploads.add(upload, TEXTS)
        await uow.commit()
    return upload


async def test_two_first_jobs_at_once_make_one_book(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    upload = await _upload(factory)
    clock, ids, storage = SystemClock(), Uuid4Generator(), MemoryAudioStorage()
    engines = SpeechEngineRegistry({"memory": FakeSpeechSynthesizer}, default="memory")
    submit = SubmitJob(uow_factory=factory, queue=MemoryJobQueue())
    process = ProcessUpload(
        uow_factory=factory, submit=submit, engines=engines, clock=clock, ids=ids
    )
    jobs = [
        (await process(ProcessUploadCommand(upload.owner_id, upload.id, mode=mode))).job
        for mode in ("full", "summary")
    ]
    racing = RacingBooks(factory)
    produce = ProduceUpload(
        uow_factory=racing,
        speak=SpeakRendition(
            uow_factory=factory,
            engines=engines,
            storage=storage,
            loudness=KeptLoudness(),
            clock=clock,
            ids=ids,
        ),
        summarizer=FakeSummarizer(),
        storage=storage,
        joiner=Mp3Joiner(),
        assembler=FakeAudiobookAssembler(storage),
        files=MemoryUploadStore(),
        clock=clock,
        ids=ids,
    )
    runner = JobRunner(
        uow_factory=factory,
        clock=clock,
        handlers={"process_upload": produce},
        max_attempts=1,
        retry=JobRetryPolicy(base_delay_s=0.01),
    )

    ended = await asyncio.wait_for(asyncio.gather(*(runner.run(j.id) for j in jobs)), 60)

    assert [j.status if j else None for j in ended] == [JobStatus.COMPLETED] * 2, ended
    book_ids = {uuid.UUID(j.result["book_id"]) for j in ended if j and j.result}
    async with factory.engine.connect() as connection:
        owned = await connection.execute(
            sa.select(books.c.id).where(books.c.owner_id == upload.owner_id)
        )
        made = [row.id for row in owned]
    async with factory() as uow:
        stored = await uow.uploads.get(upload.id)
        assert len(made) == 1, "each racer made a book that stayed"
        assert book_ids == {made[0]}
        assert stored is not None and stored.book_id == made[0]
        chapters = await uow.chapters.list_for_book(made[0])
    assert [c.number for c in chapters] == [1, 2, 3]
