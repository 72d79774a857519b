"""GttsSpeechSynthesizer against Google's TTS endpoint faked at the transport (responses)."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
import requests
import responses

from adapters.gtts import GttsSpeechSynthesizer
from adapters.resilience import RetryPolicy
from domain.audio import scan_mp3
from domain.errors import InvalidVoice, TransientUpstreamError, UpstreamError
from domain.speech import VoiceType
from tests.contract.test_speech_synthesizer import (
    FAKE_SECONDS_PER_WORD,
    FAST,
    GOOGLE_URL,
    LONG_TEXT,
    FakeGoogleTts,
    fake_google,
)

__all__ = ["fake_google"]  # the fixture used here


def synthesizer(policy: RetryPolicy = FAST, **options: object) -> GttsSpeechSynthesizer:
    return GttsSpeechSynthesizer(timeout_s=2, policy=policy, **options)  # type: ignore[arg-type]


async def test_sends_language_and_speed(fake_google: FakeGoogleTts) -> None:
    gtts = synthesizer()

    await gtts.synthesize("Bonjour.", language="fr")
    await gtts.synthesize("Lentement.", language="fr", speed=0.5)

    assert [p[1:3] for p in fake_google.params] == [["fr", None], ["fr", True]]


async def test_a_regional_tag_and_the_tld_are_used(fake_google: FakeGoogleTts) -> None:
    await synthesizer(tld="co.uk").synthesize("Cheerio.", language="en-GB")
    await synthesizer().synthesize("Bonjour.", language="fr_ca")
    await synthesizer().synthesize("Olá.", language="pt-BR")

    assert [p[1] for p in fake_google.params] == ["en", "fr-CA", "pt"]
    assert fake_google.urls[0].startswith("https://translate.google.co.uk/")


async def test_an_accent_voice_picks_its_translate_host(fake_google: FakeGoogleTts) -> None:
    await synthesizer().synthesize("Cheerio.", language="en", voice="co.uk")
    await synthesizer(tld="co.uk").synthesize("Hello.", language="en", voice="male")

    assert [url.split("/")[2] for url in fake_google.urls] == ["translate.google.co.uk"] * 2


async def test_every_voice_type_is_the_configured_accent() -> None:
    [default] = [v for v in synthesizer(tld="co.uk").voices() if v.types]

    assert default.voice_id == "co.uk"
    assert set(default.types) == set(VoiceType)


async def test_an_unknown_voice_is_refused_without_a_request(fake_google: FakeGoogleTts) -> None:
    with pytest.raises(InvalidVoice):
        await synthesizer().synthesize("Hello.", language="en", voice="com.xx")
    assert fake_google.calls == 0


async def test_an_unknown_language_is_an_upstream_error(fake_google: FakeGoogleTts) -> None:
    with pytest.raises(UpstreamError, match="does not speak"):
        await synthesizer().synthesize("Hello.", language="xx")
    assert fake_google.calls == 0


async def test_long_text_is_chunked_and_joined(fake_google: FakeGoogleTts) -> None:
    audio = await synthesizer(chunk_chars=3000).synthesize(LONG_TEXT, language="en")

    assert all(len(text) <= 100 for text in fake_google.texts)
    assert len(fake_google.texts) >= len(LONG_TEXT) // 100
    assert re.findall(r"\w+", " ".join(fake_google.texts)) == re.findall(r"\w+", LONG_TEXT)
    info = scan_mp3(audio)
    assert info is not None
    assert info.duration_s == pytest.approx(len(LONG_TEXT.split()) * FAKE_SECONDS_PER_WORD, rel=0.1)


async def test_429_with_retry_after_is_retried(fake_google: FakeGoogleTts) -> None:
    fake_google.failures.append((429, {"Retry-After": "0"}))

    audio = await synthesizer().synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert fake_google.calls == 2


async def test_5xx_is_retried(fake_google: FakeGoogleTts) -> None:
    fake_google.failures += [(500, {}), (503, {})]

    audio = await synthesizer().synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert fake_google.calls == 3


async def test_5xx_after_the_last_retry_is_transient(fake_google: FakeGoogleTts) -> None:
    fake_google.failures += [(502, {})] * 3

    with pytest.raises(TransientUpstreamError):
        await synthesizer().synthesize("Hello there.", language="en")
    assert fake_google.calls == FAST.retries + 1


async def test_a_network_timeout_is_transient(fake_google: FakeGoogleTts) -> None:
    fake_google.failures += [requests.exceptions.ReadTimeout("read timed out")] * 3

    with pytest.raises(TransientUpstreamError, match="unreachable"):
        await synthesizer().synthesize("Hello there.", language="en")
    assert fake_google.calls == 3


async def test_a_call_running_past_the_policy_timeout_is_transient_and_stops() -> None:
    fake_google = FakeGoogleTts()
    calls: list[float] = []

    def slow(request: object) -> tuple[int, dict[str, str], bytes]:
        calls.append(time.monotonic())
        time.sleep(0.3)
        return fake_google(request)

    text = "A sentence of some length that gTTS sends on its own. " * 3  # three requests
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, GOOGLE_URL, slow)
        with pytest.raises(TransientUpstreamError, match="timed out"):
            await synthesizer(RetryPolicy(retries=0, timeout_s=0.1)).synthesize(text, language="en")
        await asyncio.sleep(0.5)  # the abandoned thread finishes while the transport is faked

    assert len(calls) == 1  # the thread saw it was abandoned and made no more requests


async def test_a_refusal_is_not_retried(fake_google: FakeGoogleTts) -> None:
    fake_google.failures.append((403, {}))

    with pytest.raises(UpstreamError) as caught:
        await synthesizer().synthesize("Hello there.", language="en")

    assert not isinstance(caught.value, TransientUpstreamError)
    assert fake_google.calls == 1


def test_chunks_are_bounded() -> None:
    with pytest.raises(ValueError, match="chunk_chars"):
        synthesizer(chunk_chars=6000)
