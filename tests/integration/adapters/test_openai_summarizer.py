"""OpenAISummarizer through the real openai SDK against a local fake chat server."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest
from openai import AsyncOpenAI

from adapters.openai import OpenAISummarizer
from adapters.resilience import RetryPolicy
from domain.book import Book
from domain.chapter import ChapterOutline
from domain.errors import TransientUpstreamError, UpstreamError
from tests.support.fake_http import FakeHttpServer, Reply
from tests.support.openai_fakes import chat_completion

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.support.fixtures import RecordingSleep

CHAT = "/v1/chat/completions"
POLICY = RetryPolicy(retries=2, timeout_s=2.0, base_delay_s=0.001, max_delay_s=10.0)
BOOK = Book(
    id=uuid4(),
    title="Der Process",
    author="Franz Kafka",
    language="de",
    created_at=datetime(2024, 1, 1, tzinfo=UTC),
    updated_at=datetime(2024, 1, 1, tzinfo=UTC),
    publish_date=date(1925, 1, 1),
)
CHAPTER = ChapterOutline(1, "Verhaftung")


def completion(content: str | None, refusal: str | None = None) -> Reply:
    """A chat completion in the shape the OpenAI API answers with."""
    return chat_completion(content, refusal, model="gpt-summary")


SUMMARY = completion("  Josef K. wird eines Morgens verhaftet.  ")


@pytest.fixture
async def openai_client(fake_http: FakeHttpServer) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(
        api_key="test-key", base_url=f"{fake_http.url}/v1", max_retries=0, timeout=5.0
    )
    yield client
    await client.close()


def summarizer(
    client: AsyncOpenAI, sleep: RecordingSleep, policy: RetryPolicy = POLICY
) -> OpenAISummarizer:
    return OpenAISummarizer(client, "gpt-summary", 250, policy, sleep=sleep)


def user_message(body: Any) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


async def test_summarize_passes_model_language_and_length(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, SUMMARY)

    text = await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert text == "Josef K. wird eines Morgens verhaftet."
    body = fake_http.requests_to(CHAT)[0].json()
    assert body["model"] == "gpt-summary"
    prompt = user_message(body)
    for fact in ('"de"', "250 words", "Der Process", "Franz Kafka", "Verhaftung", "chapter 1"):
        assert fact in prompt


async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    rate_limited = Reply.json({"error": {"message": "slow down"}}, 429, {"Retry-After": "2"})
    fake_http.route("POST", CHAT, rate_limited, SUMMARY)

    await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert recorded_sleep.waits == [2.0]


async def test_5xx_is_retried_then_succeeds(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({"error": {"message": "boom"}}, 502), SUMMARY)

    text = await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert text.startswith("Josef K.")
    assert len(recorded_sleep.waits) == 1


async def test_5xx_every_time_is_transient_after_the_retries(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({"error": {"message": "boom"}}, 500))

    with pytest.raises(TransientUpstreamError):
        await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert len(fake_http.requests) == POLICY.retries + 1


async def test_a_slow_server_times_out_as_transient_after_the_retries(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({}, delay_s=1.0))
    policy = RetryPolicy(retries=1, timeout_s=0.1, base_delay_s=0.001)

    with pytest.raises(TransientUpstreamError):
        await summarizer(openai_client, recorded_sleep, policy).summarize(BOOK, CHAPTER)

    assert len(fake_http.requests) == 2


async def test_malformed_json_is_an_upstream_error_and_not_retried(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.text("{oops", headers={"Content-Type": "application/json"}))

    with pytest.raises(UpstreamError) as caught:
        await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 1


@pytest.mark.parametrize(
    "reply", [completion(""), completion(None, refusal="I can't summarise that.")]
)
async def test_no_text_is_an_upstream_error(
    reply: Reply,
    fake_http: FakeHttpServer,
    openai_client: AsyncOpenAI,
    recorded_sleep: RecordingSleep,
) -> None:
    fake_http.route("POST", CHAT, reply)

    with pytest.raises(UpstreamError, match="no text"):
        await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)


async def test_an_authentication_error_is_not_retried(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({"error": {"message": "bad key"}}, 401))

    with pytest.raises(UpstreamError, match="401") as caught:
        await summarizer(openai_client, recorded_sleep).summarize(BOOK, CHAPTER)

    assert not caught.value.retryable
    assert recorded_sleep.waits == []
