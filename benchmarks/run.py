"""Speed and memory figures for BookBytes. Prints numbers; asserts nothing.

Run: .venv/bin/python benchmarks/run.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

from adapters.memory.clock import SequentialIdGenerator
from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.memory.queue import MemoryJobQueue
from adapters.memory.speech import FakeSpeechSynthesizer, KeptLoudness
from adapters.memory.storage import MemoryAudioStorage
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.speech_engines import SpeechEngineRegistry
from adapters.storage.local import LocalAudioStorage
from adapters.system import SystemClock
from application.books.process_book import ProcessBook, ProcessBookCommand
from application.books.produce_book import ProduceBook, ProductionLimits
from application.books.speak_rendition import SpeakRendition
from application.jobs.runner import JobRunner
from application.jobs.submit import SubmitJob
from domain.isbn import Isbn, isbn13_check_digit
from domain.user import User


def isbns(count: int) -> list[str]:
    bodies = (f"978{n:09d}" for n in range(count))
    return [body + isbn13_check_digit(body) for body in bodies]


def bench_isbn_parsing() -> None:
    texts = [f"{t[:3]}-{t[3:]}" for t in isbns(100_000)]
    started = time.perf_counter()
    for text in texts:
        Isbn.parse(text)
    elapsed = time.perf_counter() - started
    print(f"isbn parse: {len(texts) / elapsed:,.0f} ISBNs/s")


async def run_books(uow: Any, books: int, chapters: int) -> float:
    """Submit ``books`` books and run each job once through the job runner."""
    clock, ids = SystemClock(), SequentialIdGenerator()
    owner = User(uuid.uuid4(), "bench@example.com", "!", clock.now())
    async with uow() as tx:
        await tx.users.add(owner)
        await tx.commit()
    engines = SpeechEngineRegistry({"memory": FakeSpeechSynthesizer}, default="memory")
    submit = ProcessBook(
        submit=SubmitJob(uow_factory=uow, queue=MemoryJobQueue()),
        engines=engines,
        clock=clock,
        ids=ids,
    )
    speak = SpeakRendition(
        uow_factory=uow,
        engines=engines,
        storage=MemoryAudioStorage(),
        loudness=KeptLoudness(),
        clock=clock,
        ids=ids,
    )
    produce = ProduceBook(
        uow_factory=uow,
        metadata=FakeBookMetadataSource(),
        planner=FakeChapterPlanner(chapters),
        summarizer=FakeSummarizer(),
        speak=speak,
        clock=clock,
        ids=ids,
        limits=ProductionLimits(chapter_concurrency=3),
    )
    runner = JobRunner(uow_factory=uow, clock=clock, handlers={"process_book": produce})
    jobs = [(await submit(ProcessBookCommand(owner.id, isbn))).job for isbn in isbns(books)]
    started = time.perf_counter()
    await asyncio.gather(*(runner.run(j.id) for j in jobs))
    return time.perf_counter() - started


async def bench_pipeline() -> None:
    books, chapters = 50, 10
    elapsed = await run_books(MemoryUnitOfWorkFactory(), books, chapters)
    print(
        f"pipeline, memory adapters: {books} books x {chapters} chapters in {elapsed:.2f} s "
        f"({books * chapters / elapsed:,.0f} chapters/s: the core's own overhead)"
    )
    from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory, create_engine, metadata

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/bench.db")
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        elapsed = await run_books(SqlAlchemyUnitOfWorkFactory(engine), books, chapters)
        await engine.dispose()
    print(
        f"pipeline, SQLite: {books} books x {chapters} chapters in {elapsed:.2f} s "
        f"({books * chapters / elapsed:,.0f} chapters/s)"
    )


async def bench_espeak() -> None:
    from adapters.espeak import EspeakSpeechSynthesizer
    from domain.audio import scan_mp3

    text = " ".join(["The quick brown fox jumps over the lazy dog."] * 40)
    speech = EspeakSpeechSynthesizer()
    cold = time.perf_counter()
    await speech.synthesize("warm up", language="en")  # starts the child, loads espeak-ng
    cold = time.perf_counter() - cold
    warm = time.perf_counter()
    await speech.synthesize("warm up", language="en")
    warm = time.perf_counter() - warm
    wall = time.perf_counter()
    audio = await speech.synthesize(text, language="en")
    wall = time.perf_counter() - wall
    await speech.aclose()
    info = scan_mp3(audio)
    assert info is not None
    print(
        f"espeak (child process): first call {cold * 1000:.0f} ms, next {warm * 1000:.0f} ms; "
        f"{len(text.split())} words -> {info.duration_s:.0f} s of MP3 "
        f"({len(audio) / 1024:.0f} KiB) in {wall:.2f} s ({info.duration_s / wall:.0f}x real time)"
    )


async def bench_streaming_memory() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        storage = LocalAudioStorage(Path(tmp))
        size = 50 * 1024 * 1024
        path = Path(tmp) / "books" / "big.mp3"
        path.parent.mkdir(parents=True)
        with path.open("wb") as f:
            f.write(os.urandom(size))
        tracemalloc.start()
        total = 0
        async for chunk in storage.open("books/big.mp3"):
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"local storage stream: {total / 1024 / 1024:.0f} MiB read with a peak of "
        f"{peak / 1024:.0f} KiB traced memory"
    )


def main() -> None:
    bench_isbn_parsing()
    asyncio.run(bench_pipeline())
    asyncio.run(bench_espeak())
    asyncio.run(bench_streaming_memory())


if __name__ == "__main__":
    main()
