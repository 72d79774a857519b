"""Use cases on the in-memory adapters: a small world of fakes tests can inspect."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from adapters.memory.clock import ManualClock, SequentialIdGenerator
from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.memory.queue import MemoryJobQueue
from adapters.memory.repositories import MemoryUnitOfWorkFactory
from adapters.memory.speech import FakeSpeechSynthesizer
from adapters.memory.storage import MemoryAudioStorage
from application.books.run_book_pipeline import PipelineLimits, RunBookPipeline


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

    def pipeline(self, **limits: int) -> RunBookPipeline:
        return RunBookPipeline(
            uow_factory=self.uow,
            metadata=self.metadata,
            planner=self.planner,
            summarizer=self.summarizer,
            speech=self.speech,
            storage=self.storage,
            clock=self.clock,
            ids=self.ids,
            limits=PipelineLimits(**limits),
        )


@pytest.fixture
def world() -> World:
    return World()
