"""Google Cloud TTS, Polly, Azure Speech and ElevenLabs against local fakes over real HTTP:
success, bad key, unknown voice, too-long text, quota, 429 with Retry-After, 5xx then
success, and timeouts, for every engine alike (tests/support/speech_fakes.py)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from adapters.resilience import RetryPolicy
from domain.audio import scan_mp3
from domain.errors import (
    EngineAuthFailed,
    QuotaExhausted,
    TransientUpstreamError,
    UpstreamError,
)
from tests.support.fake_http import FakeHttpServer
from tests.support.speech_fakes import CLOUD_ENGINES, RETRY_AFTER_S, cloud_engine

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from tests.support.speech_fakes import FakeSpeechService

POLICY = RetryPolicy(retries=2, timeout_s=0.5, base_delay_s=0.001, max_delay_s=1.0)
MARKUP = 'Tom & Jerry say "<b>hello</b>" & it\'s 5 < 6 > 4. '


@pytest.fixture
def server() -> Iterator[FakeHttpServer]:
    with FakeHttpServer() as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=POLICY.timeout_s) as http:
        yield http


@pytest.fixture(params=CLOUD_ENGINES)
async def engine(
    request: pytest.FixtureRequest, server: FakeHttpServer, client: httpx.AsyncClient
) -> AsyncIterator[tuple[FakeSpeechService, Any]]:
    fake, synthesizer = cloud_engine(request.param, server, client, POLICY)
    yield fake, synthesizer
    if hasattr(synthesizer, "aclose"):
        await synthesizer.aclose()


async def test_speaks_mp3_in_the_voice_and_speed_asked(engine: Any) -> None:
    fake, synthesizer = engine

    normal = await synthesizer.synthesize("One two three four five six.", language="en")
    fast = await synthesizer.synthesize(
        "One two three four five six.", language="en", voice="male", speed=1.2
    )

    assert scan_mp3(normal) is not None and scan_mp3(fast) is not None
    assert scan_mp3(fast).duration_s < scan_mp3(normal).duration_s  # type: ignore[union-attr]
    by_type = dict(zip(("default", "male"), fake.voices_used, strict=True))
    assert by_type["default"] != by_type["male"]
    assert fake.texts == ["One two three four five six."] * 2


async def test_a_bad_key_is_engine_auth_failed_and_not_retried(
    request: pytest.FixtureRequest, server: FakeHttpServer, client: httpx.AsyncClient
) -> None:
    for name in CLOUD_ENGINES:
        fake, synthesizer = cloud_engine(name, server, client, POLICY, key="wrong-key")

        with pytest.raises(EngineAuthFailed):
            await synthesizer.synthesize("Hello there.", language="en")

        assert len(fake.requests()) == 1, name
        if hasattr(synthesizer, "aclose"):
            await synthesizer.aclose()
        server.requests.clear()


async def test_a_voice_the_service_does_not_have_fails_without_retry(
    server: FakeHttpServer, client: httpx.AsyncClient
) -> None:
    for name in CLOUD_ENGINES:
        fake, synthesizer = cloud_engine(
            name, server, client, POLICY, voice_types={"male": "no-such-voice"}
        )

        with pytest.raises(UpstreamError) as caught:
            await synthesizer.synthesize("Hello there.", language="en", voice="male")

        assert not isinstance(caught.value, TransientUpstreamError | EngineAuthFailed), name
        assert len(fake.requests()) == 1, name
        if hasattr(synthesizer, "aclose"):
            await synthesizer.aclose()
        server.requests.clear()


async def test_long_text_full_of_markup_is_escaped_and_chunked_within_the_limit(
    engine: Any,
) -> None:
    fake, synthesizer = engine
    text = MARKUP * 400  # 20 000 characters, 35 000 once escaped

    audio = await synthesizer.synthesize(text, language="en")

    assert scan_mp3(audio) is not None
    assert len(fake.texts) > 2
    assert max(fake.sizes) <= fake.limit
    assert " ".join(fake.texts).split() == text.split()  # every word, once, unescaped


async def test_text_the_service_finds_too_long_is_not_retried(engine: Any) -> None:
    fake, synthesizer = engine
    fake.fail("too_long")

    with pytest.raises(UpstreamError) as caught:
        await synthesizer.synthesize("Hello there.", language="en")

    assert not isinstance(caught.value, TransientUpstreamError)
    assert len(fake.requests()) == 1


@pytest.mark.parametrize("name", [n for n in CLOUD_ENGINES if n != "polly"])
async def test_quota_exhausted_is_reported_as_such_and_not_retried(
    name: str, server: FakeHttpServer, client: httpx.AsyncClient
) -> None:
    fake, synthesizer = cloud_engine(name, server, client, POLICY)
    fake.fail("quota")

    with pytest.raises(QuotaExhausted):
        await synthesizer.synthesize("Hello there.", language="en")

    assert len(fake.requests()) == 1


async def test_rate_limits_are_retried_after_the_time_the_service_asks(engine: Any) -> None:
    fake, synthesizer = engine
    fake.fail("rate_limited")
    started = time.monotonic()

    audio = await synthesizer.synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert len(fake.requests()) == 2
    if type(fake).__name__ != "FakePolly":  # Polly throttles with a 400 and no Retry-After
        assert time.monotonic() - started >= RETRY_AFTER_S * 0.9


async def test_a_server_error_then_success_speaks(engine: Any) -> None:
    fake, synthesizer = engine
    fake.fail("server_error")

    audio = await synthesizer.synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert len(fake.requests()) == 2


async def test_a_service_that_never_answers_times_out_as_transient(engine: Any) -> None:
    fake, synthesizer = engine
    fake.fail("timeout", "timeout", "timeout")

    with pytest.raises(TransientUpstreamError):
        await synthesizer.synthesize("Hello there.", language="en")

    assert len(fake.requests()) == POLICY.retries + 1
