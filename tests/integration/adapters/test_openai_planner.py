"""OpenAIChapterPlanner through the real openai SDK against a local fake chat server."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest
from openai import AsyncOpenAI

from adapters.openai import OpenAIChapterPlanner
from adapters.resilience import RetryPolicy
from domain.book import Book
from domain.chapter import ChapterOutline
from domain.errors import BookUnknown, TransientUpstreamError, UpstreamError
from tests.support.fake_http import FakeHttpServer, Reply
from tests.support.openai_fakes import chat_completion

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.support.fixtures import RecordingSleep

CHAT = "/v1/chat/completions"
POLICY = RetryPolicy(retries=2, timeout_s=2.0, base_delay_s=0.001, max_delay_s=10.0)
BOOK = Book(
    id=uuid4(),
    title="Fantastic Mr. Fox",
    author="Roald Dahl",
    language="en",
    created_at=datetime(2024, 1, 1, tzinfo=UTC),
    updated_at=datetime(2024, 1, 1, tzinfo=UTC),
    publisher="Puffin",
    publish_date=date(1988, 10, 1),
)


def completion(content: str | None, refusal: str | None = None) -> Reply:
    """A chat completion in the shape the OpenAI API answers with."""
    return chat_completion(content, refusal, model="gpt-test")


def outline(*titles: str, known: bool = True) -> Reply:
    chapters = [{"number": n, "title": t} for n, t in enumerate(titles, start=1)]
    return completion(json.dumps({"known": known, "chapters": chapters}))


def api_error(status: int, code: str | None = None, headers: dict[str, str] | None = None) -> Reply:
    body = {"error": {"message": "nope", "type": "error", "param": None, "code": code}}
    return Reply.json(body, status=status, headers=headers)


@pytest.fixture
async def openai_client(fake_http: FakeHttpServer) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(
        api_key="test-key", base_url=f"{fake_http.url}/v1", max_retries=0, timeout=5.0
    )
    yield client
    await client.close()


def planner(
    client: AsyncOpenAI, sleep: RecordingSleep, policy: RetryPolicy = POLICY, max_chapters: int = 3
) -> OpenAIChapterPlanner:
    return OpenAIChapterPlanner(client, "gpt-test", max_chapters, policy, sleep=sleep)


def user_message(body: Any) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


async def test_plan_asks_for_structured_output_with_a_complete_prompt(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, outline("Mr. Fox", "Boggis, Bunce and Bean"))

    chapters = await planner(openai_client, recorded_sleep).plan(BOOK)

    assert chapters == [ChapterOutline(1, "Mr. Fox"), ChapterOutline(2, "Boggis, Bunce and Bean")]
    (request,) = fake_http.requests
    assert request.headers["authorization"] == "Bearer test-key"
    body = request.json()
    assert body["model"] == "gpt-test"
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["required"] == ["known", "chapters"]
    prompt = user_message(body)
    for fact in ("Fantastic Mr. Fox", "Roald Dahl", "en", "1988-10-01", "Puffin", "at most 3"):
        assert fact in prompt
    assert "known" in prompt


async def test_plan_renumbers_and_keeps_at_most_max_chapters(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    chapters = [{"number": n, "title": f" Part {n} "} for n in (0, 5, 6, 7)]
    fake_http.route("POST", CHAT, completion(json.dumps({"known": True, "chapters": chapters})))

    planned = await planner(openai_client, recorded_sleep).plan(BOOK)

    assert planned == [
        ChapterOutline(1, "Part 0"),
        ChapterOutline(2, "Part 5"),
        ChapterOutline(3, "Part 6"),
    ]


async def test_an_unknown_book_raises_book_unknown(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, outline(known=False))

    with pytest.raises(BookUnknown):
        await planner(openai_client, recorded_sleep).plan(BOOK)

    assert len(fake_http.requests) == 1


@pytest.mark.parametrize(
    "invalid",
    [
        completion("Chapter 1: Mr. Fox"),  # free text
        completion('{"known": true, "chapters": []}'),  # known but empty
        completion('{"known": true, "chapters": [{"number": 1}]}'),  # no title
        completion('{"known": true, "chapters": [{"number": 1, "title": "  "}]}'),
        completion(None, refusal="I can't help with that."),
    ],
)
async def test_invalid_output_once_is_asked_again(
    invalid: Reply,
    fake_http: FakeHttpServer,
    openai_client: AsyncOpenAI,
    recorded_sleep: RecordingSleep,
) -> None:
    fake_http.route("POST", CHAT, invalid, outline("Mr. Fox"))

    chapters = await planner(openai_client, recorded_sleep).plan(BOOK)

    assert chapters == [ChapterOutline(1, "Mr. Fox")]
    assert len(fake_http.requests) == 2


async def test_invalid_output_twice_is_an_upstream_error(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, completion('{"known": "yes"}'))

    with pytest.raises(UpstreamError, match="invalid model output") as caught:
        await planner(openai_client, recorded_sleep).plan(BOOK)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 2


async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, api_error(429, headers={"Retry-After": "4"}), outline("A"))

    assert await planner(openai_client, recorded_sleep).plan(BOOK) == [ChapterOutline(1, "A")]
    assert recorded_sleep.waits == [4.0]


async def test_retry_after_ms_is_honoured_too(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, api_error(429, headers={"retry-after-ms": "250"}), outline("A"))

    await planner(openai_client, recorded_sleep).plan(BOOK)

    assert recorded_sleep.waits == [0.25]


async def test_exhausted_quota_is_not_retried(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, api_error(429, code="insufficient_quota"))

    with pytest.raises(UpstreamError, match="quota") as caught:
        await planner(openai_client, recorded_sleep).plan(BOOK)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 1


async def test_5xx_is_retried_then_succeeds(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, api_error(500), api_error(503), outline("A"))

    assert await planner(openai_client, recorded_sleep).plan(BOOK) == [ChapterOutline(1, "A")]
    assert len(recorded_sleep.waits) == 2


async def test_a_slow_server_times_out_as_transient_after_the_retries(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({}, delay_s=1.0))
    policy = RetryPolicy(retries=1, timeout_s=0.1, base_delay_s=0.001)

    with pytest.raises(TransientUpstreamError):
        await planner(openai_client, recorded_sleep, policy).plan(BOOK)

    assert len(fake_http.requests) == 2


async def test_the_sdk_timeout_is_transient_too(
    fake_http: FakeHttpServer, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, Reply.json({}, delay_s=1.0))
    client = AsyncOpenAI(api_key="k", base_url=f"{fake_http.url}/v1", max_retries=0, timeout=0.1)
    policy = RetryPolicy(retries=0, timeout_s=5.0)
    try:
        with pytest.raises(TransientUpstreamError, match="timed out"):
            await planner(client, recorded_sleep, policy).plan(BOOK)
    finally:
        await client.close()


@pytest.mark.parametrize(
    "reply",
    [
        Reply.text("<html>502</html>", headers={"Content-Type": "application/json"}),
        Reply.text("plain text"),
        Reply.json({"unexpected": True}),
    ],
)
async def test_a_malformed_answer_is_an_upstream_error_and_not_retried(
    reply: Reply,
    fake_http: FakeHttpServer,
    openai_client: AsyncOpenAI,
    recorded_sleep: RecordingSleep,
) -> None:
    fake_http.route("POST", CHAT, reply)

    with pytest.raises(UpstreamError) as caught:
        await planner(openai_client, recorded_sleep).plan(BOOK)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 1


async def test_a_client_error_is_an_upstream_error_and_not_retried(
    fake_http: FakeHttpServer, openai_client: AsyncOpenAI, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("POST", CHAT, api_error(404, code="model_not_found"))

    with pytest.raises(UpstreamError, match="404") as caught:
        await planner(openai_client, recorded_sleep).plan(BOOK)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 1
