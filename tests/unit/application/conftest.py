"""Use cases on the in-memory adapters: a small world of fakes tests can inspect."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters.memory.clock import ManualClock, SequentialIdGenerator
from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.memory.queue import MemoryJobQueue
from adapters.memory.speech import FakeSpeechSynthesizer, KeptLoudness
from adapters.memory.storage import MemoryAudioStorage
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from adapters.speech_engines import SpeechEngineRegistry
from application.books.process_book import ProcessBook
from application.books.produce_book import ProduceBook, ProductionLimits
from application.books.speak_rendition import SpeakRendition
from application.jobs.runner import JobRetryPolicy, JobRunner
from application.jobs.submit import SubmitJob


@dataclass
class World:
    """Every fake a use case may need, shared so tests can look at their state."""

    uow: MemoryUnitOfWorkFactory = field(default_factory=MemoryUnitOfWorkFactory)
    queue: MemoryJobQueue = field(default_factory=MemoryJobQueue)
    clock: ManualClock = field(default_factory=ManualClock)
    ids: SequentialIdGenerator = field(default_factory=SequentialIdGenerator)
    metadata: FakeBookMetadataSource = field(default_factory=FakeBookMetadataSource)
    planner: FakeChapterPlanner = field(default_factory=FakeChapterPlanner)
    summarizer: FakeSummarizer = field(default_factory=FakeSummarizer)
    speech: FakeSpeechSynthesizer = field(default_factory=FakeSpeechSynthesizer)
    storage: MemoryAudioStorage = field(default_factory=MemoryAudioStorage)
    loudness: KeptLoudness = field(default_factory=KeptLoudness)

    def table(self, name: str) -> dict[Any, Any]:
        """The committed rows of a memory table."""
        return self.uow.db.table(name)

    def engines(self) -> SpeechEngineRegistry:
        return SpeechEngineRegistry({"memory": lambda: self.speech}, default="memory")

    def process_book(self) -> ProcessBook:
        submit = SubmitJob(uow_factory=self.uow, queue=self.queue)
        return ProcessBook(submit=submit, engines=self.engines(), clock=self.clock, ids=self.ids)

    def produce_book(self, **limits: int) -> ProduceBook:
        speak = SpeakRendition(
            uow_factory=self.uow,
            engines=self.engines(),
            storage=self.storage,
            loudness=self.loudness,
            clock=self.clock,
            ids=self.ids,
        )
        return ProduceBook(
            uow_factory=self.uow,
            metadata=self.metadata,
            planner=self.planner,
            summarizer=self.summarizer,
            speak=speak,
            clock=self.clock,
            ids=self.ids,
            limits=ProductionLimits(**limits),
        )

    def runner(self, max_attempts: int = 1, **limits: int) -> JobRunner:
        return JobRunner(
            uow_factory=self.uow,
            clock=self.clock,
            handlers={"process_book": self.produce_book(**limits)},
            max_attempts=max_attempts,
            retry=JobRetryPolicy(base_delay_s=0.01),
        )


@pytest.fixture
def world() -> World:
    return World()
