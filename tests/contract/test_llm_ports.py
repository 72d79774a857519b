"""ChapterPlanner and Summarizer contracts: the fakes and the OpenAI adapters (against a
local OpenAI-compatible fake over real HTTP) behave alike."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from openai import AsyncOpenAI

from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.openai import OpenAIChapterPlanner, OpenAISummarizer
from adapters.resilience import RetryPolicy
from domain.book import Book
from domain.chapter import ChapterOutline
from domain.errors import BookUnknown
from tests.support.fake_http import FakeHttpServer, RecordedRequest, Reply
from tests.support.openai_fakes import chat_completion

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.books.ports import ChapterPlanner, Summarizer

NOW = datetime(2026, 1, 1, tzinfo=UTC)
KNOWN = Book(uuid.uuid4(), "Fantastic Mr. Fox", "Roald Dahl", "en", NOW, NOW)
OBSCURE = Book(uuid.uuid4(), "Untitled Manuscript 7", "Nobody", "en", NOW, NOW)
POLICY = RetryPolicy(retries=1, timeout_s=2.0, base_delay_s=0.001, max_delay_s=0.01)


def model(request: RecordedRequest) -> Reply:
    body = request.json()
    prompt = json.dumps(body["messages"])
    if "<text>" in prompt:  # a summary of real text: answer from the text sent
        text = body["messages"][-1]["content"].split("<text>")[1]
        return chat_completion(f"In short: {' '.join(text.split()[:12])} and so on.")
    if "response_format" not in body:
        return chat_completion("Mr. Fox outwits three farmers to feed his family.")
    if OBSCURE.title in prompt:
        return chat_completion(json.dumps({"known": False, "chapters": []}))
    chapters = [{"number": n, "title": f"Part {n}"} for n in (1, 2, 3)]
    return chat_completion(json.dumps({"known": True, "chapters": chapters}))


@pytest.fixture(params=["memory", "openai"])
async def llm(
    request: pytest.FixtureRequest, fake_http: FakeHttpServer
) -> AsyncIterator[tuple[ChapterPlanner, Summarizer]]:
    if request.param == "memory":
        yield FakeChapterPlanner(3, unknown=frozenset({OBSCURE.title})), FakeSummarizer()
        return
    fake_http.route("POST", "/v1/chat/completions", model)
    client = AsyncOpenAI(api_key="sk-test", base_url=f"{fake_http.url}/v1", max_retries=0)
    yield (
        OpenAIChapterPlanner(client, "gpt-test", 40, POLICY),
        OpenAISummarizer(client, "gpt-test", 200, POLICY),
    )
    await client.close()


async def test_a_known_book_is_planned_in_order(
    llm: tuple[ChapterPlanner, Summarizer],
) -> None:
    planner, _ = llm
    outline = await planner.plan(KNOWN)
    assert [c.number for c in outline] == list(range(1, len(outline) + 1))
    assert len(outline) >= 1
    assert all(c.title.strip() for c in outline)


async def test_an_unknown_book_is_book_unknown(llm: tuple[ChapterPlanner, Summarizer]) -> None:
    planner, _ = llm
    with pytest.raises(BookUnknown):
        await planner.plan(OBSCURE)


async def test_a_chapter_is_summarised_in_words(llm: tuple[ChapterPlanner, Summarizer]) -> None:
    _, summarizer = llm
    summary = await summarizer.summarize(KNOWN, ChapterOutline(1, "Mr. Fox"))
    assert len(summary.split()) >= 5
    assert summary == summary.strip()


@pytest.mark.parametrize("mode", ["summary", "explanation", "summary_explanation"])
async def test_real_text_is_summarised_from_that_text(
    llm: tuple[ChapterPlanner, Summarizer], mode: str
) -> None:
    _, summarizer = llm
    text = "Boggis, Bunce and Bean are three farmers who hate Mr. Fox and plan to kill him. " * 5
    summary = await summarizer.summarize_text(KNOWN, "Chapter 1", text, mode)
    assert "Boggis" in summary  # made from the text sent, not from the model's memory
    assert len(summary.split()) >= 5
    assert summary == summary.strip()
