"""OpenAISpeechSynthesizer over real HTTP against a local fake OpenAI server."""

from __future__ import annotations

import pytest
from openai import AsyncOpenAI

from adapters.openai.speech import MAX_INPUT_CHARS, OpenAISpeechSynthesizer
from adapters.resilience import RetryPolicy
from domain.audio import scan_mp3
from domain.errors import InvalidVoice, TransientUpstreamError, UpstreamError
from tests.contract.test_speech_synthesizer import (
    FAKE_SECONDS_PER_WORD,
    FAST,
    LONG_TEXT,
    FakeOpenAI,
    fake_openai,
    openai_client,
    openai_server,
    openai_synthesizer,
)
from tests.support.fake_http import Reply

__all__ = ["fake_openai", "openai_client", "openai_server"]  # fixtures used here


async def test_sends_model_voice_speed_and_mp3_format(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    audio = await openai_synthesizer(openai_client).synthesize(
        "Hello there, reader.", language="en", speed=9.0
    )

    assert scan_mp3(audio) is not None
    [request] = fake_openai.requests()
    assert request.headers["authorization"] == "Bearer test-key"
    body = request.json()
    assert body == {
        "model": "test-tts-model",
        "voice": "test-voice",
        "input": "Hello there, reader.",
        "response_format": "mp3",
        "speed": 4.0,  # clamped to the API's range
    }


async def test_a_calls_voice_overrides_the_default(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    await openai_synthesizer(openai_client).synthesize("Hi.", language="en", voice="coral")

    assert fake_openai.requests()[0].json()["voice"] == "coral"


@pytest.mark.parametrize(
    ("voice", "sent"),
    [("default", "test-voice"), ("female", "nova"), ("male", "onyx"), ("child", "shimmer")],
)
async def test_voice_types_map_to_openai_voices(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI, voice: str, sent: str
) -> None:
    await openai_synthesizer(openai_client).synthesize("Hi.", language="en", voice=voice)

    assert fake_openai.requests()[0].json()["voice"] == sent


async def test_an_unknown_voice_is_refused_without_a_request(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    with pytest.raises(InvalidVoice):
        await openai_synthesizer(openai_client).synthesize("Hi.", language="en", voice="other")

    assert fake_openai.requests() == []


async def test_long_text_goes_in_sentence_aligned_requests_and_is_joined(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    audio = await openai_synthesizer(openai_client).synthesize(LONG_TEXT, language="en")

    inputs = [r.json()["input"] for r in fake_openai.requests()]
    assert len(inputs) == 3
    assert all(len(text) <= MAX_INPUT_CHARS and text.endswith(".") for text in inputs)
    assert " ".join(inputs) == LONG_TEXT
    info = scan_mp3(audio)
    assert info is not None
    words = len(LONG_TEXT.split())
    assert info.duration_s == pytest.approx(words * FAKE_SECONDS_PER_WORD, rel=0.1)


async def test_429_with_retry_after_is_retried(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    busy = Reply.json({"error": {"message": "slow down", "code": None}}, 429, {"Retry-After": "0"})
    fake_openai.script(busy)

    audio = await openai_synthesizer(openai_client).synthesize("Hello.", language="en")

    assert scan_mp3(audio) is not None
    assert len(fake_openai.requests()) == 2


async def test_5xx_is_retried(fake_openai: FakeOpenAI, openai_client: AsyncOpenAI) -> None:
    fake_openai.script(Reply.json({"error": {"message": "oops"}}, 500), Reply(503))

    audio = await openai_synthesizer(openai_client).synthesize("Hello.", language="en")

    assert scan_mp3(audio) is not None
    assert len(fake_openai.requests()) == 3


async def test_5xx_after_the_last_retry_is_transient(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    fake_openai.script(*[Reply(502)] * 3)

    with pytest.raises(TransientUpstreamError):
        await openai_synthesizer(openai_client).synthesize("Hello.", language="en")
    assert len(fake_openai.requests()) == FAST.retries + 1


async def test_a_timeout_is_transient(fake_openai: FakeOpenAI, openai_client: AsyncOpenAI) -> None:
    fake_openai.script(Reply(200, b"late", delay_s=0.6))
    policy = RetryPolicy(retries=0, timeout_s=0.15)

    with pytest.raises(TransientUpstreamError):
        await openai_synthesizer(openai_client, policy).synthesize("Hello.", language="en")


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json({"error": {"message": "bad voice", "code": "invalid_value"}}, 400),
        Reply.json({"error": {"message": "no money", "code": "insufficient_quota"}}, 429),
        Reply.json({"error": {"message": "who are you"}}, 401),
    ],
    ids=["400", "429-quota", "401"],
)
async def test_refusals_are_not_retried(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI, reply: Reply
) -> None:
    fake_openai.script(reply)

    with pytest.raises(UpstreamError) as caught:
        await openai_synthesizer(openai_client).synthesize("Hello.", language="en")

    assert not isinstance(caught.value, TransientUpstreamError)
    assert len(fake_openai.requests()) == 1


async def test_an_answer_that_is_not_mp3_is_an_upstream_error(
    fake_openai: FakeOpenAI, openai_client: AsyncOpenAI
) -> None:
    fake_openai.script(Reply(200, b"RIFF....WAVEfmt ", {"Content-Type": "audio/wav"}))

    with pytest.raises(UpstreamError, match="not MP3"):
        await openai_synthesizer(openai_client).synthesize("Hello.", language="en")


async def test_the_sdk_never_retries_by_itself(fake_openai: FakeOpenAI) -> None:
    client = AsyncOpenAI(api_key="k", base_url=fake_openai.base_url)  # SDK default: 2 retries
    fake_openai.script(Reply(500))
    synthesizer = OpenAISpeechSynthesizer(
        client, model="m", voice="v", policy=RetryPolicy(retries=0, timeout_s=5)
    )
    try:
        with pytest.raises(TransientUpstreamError):
            await synthesizer.synthesize("Hello.", language="en")
    finally:
        await client.close()

    assert len(fake_openai.requests()) == 1


def test_model_and_voice_must_be_configured(openai_client: AsyncOpenAI) -> None:
    with pytest.raises(ValueError, match="model and voice"):
        OpenAISpeechSynthesizer(openai_client, model="", voice="alloy", policy=FAST)
