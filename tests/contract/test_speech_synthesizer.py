"""Contract suite for SpeechSynthesizer: memory, espeak-ng (real), gTTS and OpenAI (local fakes).

gTTS talks to Google through ``requests``, so its fake answers at the transport level with
the ``responses`` library; OpenAI's SDK is pointed (base_url) at a local HTTP server. Both
fakes answer real MP3 (lameenc frames, behind an ID3 tag and an Info header, as encoders
write them) lasting ``FAKE_SECONDS_PER_WORD`` per word of the request's text.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import itertools
import json
import math
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import lameenc
import pytest
import responses
from openai import AsyncOpenAI

from adapters.espeak import EspeakSpeechSynthesizer
from adapters.fallback_speech import FallbackSpeechSynthesizer
from adapters.gtts import GttsSpeechSynthesizer
from adapters.memory.speech import FakeSpeechSynthesizer
from adapters.native import ChildProcessPool
from adapters.openai.speech import OpenAISpeechSynthesizer
from adapters.piper import PiperSpeechSynthesizer
from adapters.resilience import RetryPolicy
from domain.audio import scan_mp3
from domain.errors import InvalidVoice, TransientUpstreamError, UpstreamError, ValidationFailed
from domain.speech import VoiceType, check_voice_syntax
from tests.support.fake_http import FakeHttpServer, RecordedRequest, Reply
from tests.support.speech_fakes import CLOUD_ENGINES, cloud_engine

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from application.books.ports import SpeechSynthesizer
    from domain.speech import Voice

FAKE_SECONDS_PER_WORD = 0.1
FAST = RetryPolicy(retries=2, timeout_s=5, base_delay_s=0.001, max_delay_s=0.01)
GOOGLE_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
SENTENCE = "The quick brown fox jumps over the lazy dog near the quiet river bank. "
LONG_TEXT = (SENTENCE * 130).strip()  # 9 229 characters, 1 820 words


# --- real-shaped MP3 ----------------------------------------------------------------------


@functools.cache
def _one_word_frames() -> bytes:
    """lameenc frames of a 440 Hz tone lasting FAKE_SECONDS_PER_WORD.

    24 kHz mono at 48 kbit/s: every frame is 144 bytes and 24 ms, so frames cut by length.
    """
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(48)
    encoder.set_in_sample_rate(24000)
    encoder.set_channels(1)
    encoder.set_quality(7)
    tone = [int(6000 * math.sin(2 * math.pi * 440 * i / 24000)) for i in range(9600)]
    data = bytes(encoder.encode(struct.pack(f"<{len(tone)}h", *tone))) + bytes(encoder.flush())
    frames = data[: round(FAKE_SECONDS_PER_WORD / 0.024) * 144]
    assert scan_mp3(frames) is not None, "lame did not write 144-byte frames"
    return frames


def real_shaped_mp3(words: int) -> bytes:
    """ID3v2 tag + Info header frame + ``words`` times one word of real MP3 frames."""
    frames = _one_word_frames()
    info_frame = bytearray(frames[:4] + bytes(140))
    info_frame[4 + 9 : 4 + 13] = b"Info"  # after MPEG-2 mono side info
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"TIT2" + bytes(6)
    return id3 + bytes(info_frame) + frames * max(1, words)


# --- fake Google Translate TTS (transport level, for requests) ----------------------------


@dataclass
class FakeGoogleTts:
    """Answers gTTS's batchexecute POSTs; ``failures`` are answered first, in order."""

    failures: list[tuple[int, dict[str, str]] | Exception] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    params: list[list[Any]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    calls: int = 0

    def __call__(self, request: Any) -> tuple[int, dict[str, str], bytes]:
        self.calls += 1
        self.urls.append(request.url)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            status, headers = failure
            return status, headers, b"error"
        rpc = json.loads(parse_qs(request.body)["f.req"][0])
        param = json.loads(rpc[0][0][1])
        self.params.append(param)
        self.texts.append(param[0])
        audio = base64.b64encode(real_shaped_mp3(len(param[0].split()))).decode()
        envelope = [["wrb.fr", "jQ1olc", json.dumps([audio]), None, None, None, "generic"]]
        line = json.dumps(envelope, separators=(",", ":"))
        body = f')]}}\'\n\n{len(line)}\n{line}\n25\n[["e",4,null,null,{len(line)}]]\n'
        return 200, {"Content-Type": "application/json; charset=utf-8"}, body.encode()


@pytest.fixture
def fake_google() -> Iterator[FakeGoogleTts]:
    """Google TTS answered by a fake while the test runs (no other HTTP via requests)."""
    fake = FakeGoogleTts()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, GOOGLE_URL, callback=fake)
        mock.add_callback(responses.POST, GOOGLE_URL.replace(".com/", ".co.uk/"), callback=fake)
        yield fake


# --- fake OpenAI audio API (a local HTTP server) ------------------------------------------


def openai_speech_reply(request: RecordedRequest) -> Reply:
    """MP3 for the request's ``input``, as POST /v1/audio/speech answers it."""
    words = len(request.json()["input"].split())
    return Reply(200, real_shaped_mp3(words), {"Content-Type": "audio/mpeg"})


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeHttpServer]:
    """One fake OpenAI server for the session; each test gets its own base path."""
    with FakeHttpServer() as server:
        yield server


_prefixes = itertools.count()


@dataclass
class FakeOpenAI:
    """One test's slice of the fake server: ``base_url`` for the SDK, ``path`` it posts to."""

    server: FakeHttpServer
    base_url: str
    path: str

    def script(self, *replies: Reply) -> None:
        """Answer ``replies`` first, then speech for every request."""
        self.server.route("POST", self.path, *replies, openai_speech_reply)

    def requests(self) -> list[RecordedRequest]:
        return self.server.requests_to(self.path, "POST")


@pytest.fixture
def fake_openai(openai_server: FakeHttpServer) -> FakeOpenAI:
    prefix = f"/t{next(_prefixes)}/v1"
    fake = FakeOpenAI(openai_server, openai_server.url + prefix, prefix + "/audio/speech")
    fake.script()
    return fake


@pytest.fixture
async def openai_client(fake_openai: FakeOpenAI) -> AsyncIterator[AsyncOpenAI]:
    client = AsyncOpenAI(api_key="test-key", base_url=fake_openai.base_url, max_retries=0)
    yield client
    await client.close()


def openai_synthesizer(client: AsyncOpenAI, policy: RetryPolicy = FAST) -> OpenAISpeechSynthesizer:
    return OpenAISpeechSynthesizer(
        client, model="test-tts-model", voice="test-voice", policy=policy
    )


# --- the contract -------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    synthesizer: SpeechSynthesizer
    seconds_per_word: tuple[float, float]  # plausible range at speed 1
    jitter: float = 0.02  # how much one text's duration varies between calls


@pytest.fixture
async def espeak() -> AsyncIterator[EspeakSpeechSynthesizer]:
    """espeak-ng, its child process stopped after the test."""
    synthesizer = EspeakSpeechSynthesizer()
    yield synthesizer
    await synthesizer.aclose()


@pytest.fixture(scope="session")
def piper_pool() -> Iterator[ChildProcessPool]:
    """One Piper child for the session: the voice loads once (about 2 s)."""
    pool = ChildProcessPool("piper")
    yield pool
    pool.close()


@pytest.fixture
async def cloud_http() -> AsyncIterator[tuple[FakeHttpServer, Any]]:
    """A fake server for one cloud engine's fake service, and an HTTP client."""
    import httpx

    with FakeHttpServer() as server:
        async with httpx.AsyncClient(timeout=FAST.timeout_s) as client:
            yield server, client


@pytest.fixture(params=["memory", "espeak", "gtts", "openai", "fallback", *CLOUD_ENGINES, "piper"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each SpeechSynthesizer, with the seconds of audio per word it should produce."""
    return _engine(request, request.param)


def _engine(request: pytest.FixtureRequest, name: str) -> Engine:
    fake_rate = (FAKE_SECONDS_PER_WORD * 0.9, FAKE_SECONDS_PER_WORD * 1.3)
    if name == "memory":
        return Engine(FakeSpeechSynthesizer(), (0.35, 0.45))
    if name == "espeak":
        return Engine(request.getfixturevalue("espeak"), (0.15, 1.5))
    if name == "gtts":
        request.getfixturevalue("fake_google")
        return Engine(GttsSpeechSynthesizer(timeout_s=5, policy=FAST), fake_rate)
    if name == "openai":
        client = request.getfixturevalue("openai_client")
        return Engine(openai_synthesizer(client), fake_rate)
    if name in CLOUD_ENGINES:
        server, client = request.getfixturevalue("cloud_http")
        return Engine(cloud_engine(name, server, client, FAST)[1], fake_rate)
    if name == "piper":
        pool = request.getfixturevalue("piper_pool")
        # Piper draws phoneme lengths with noise (noise_w), so durations vary a little.
        return Engine(PiperSpeechSynthesizer(pool=pool), (0.2, 1.0), jitter=0.1)
    broken = BrokenSpeechSynthesizer()
    return Engine(FallbackSpeechSynthesizer([broken, FakeSpeechSynthesizer()]), (0.35, 0.45))


class BrokenSpeechSynthesizer:
    """A SpeechSynthesizer whose upstream is always down (a fake, for fallback tests)."""

    def __init__(self, error: UpstreamError | None = None) -> None:
        self.error = error or UpstreamError("engine down")
        self.calls = 0

    def voices(self) -> tuple[Voice, ...]:
        return ()

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        self.calls += 1
        raise self.error


async def duration(engine: Engine, text: str, **options: Any) -> float:
    audio = await engine.synthesizer.synthesize(text, language="en", **options)
    info = scan_mp3(audio)
    assert info is not None, "not MP3 frames from start to end"
    return info.duration_s


async def test_speaks_valid_mp3_of_plausible_length(engine: Engine) -> None:
    text = "Chapter one tells how the hero leaves home and finds a map."

    seconds = await duration(engine, text)

    low, high = engine.seconds_per_word
    assert low <= seconds / len(text.split()) <= high + 0.5  # one short text: fixed overheads


async def test_longer_text_gives_longer_audio(engine: Engine) -> None:
    short = await duration(engine, "A short sentence.")
    longer = await duration(engine, SENTENCE * 4)

    assert longer > short * 3


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
async def test_empty_text_is_a_validation_error(engine: Engine, text: str) -> None:
    with pytest.raises(ValidationFailed):
        await engine.synthesizer.synthesize(text, language="en")


@pytest.mark.parametrize("speed", [0.0, -1.0, math.nan])
async def test_a_speed_that_is_not_positive_is_a_validation_error(
    engine: Engine, speed: float
) -> None:
    with pytest.raises(ValidationFailed):
        await engine.synthesizer.synthesize("Hello there.", language="en", speed=speed)


async def test_long_text_is_chunked_and_joined(engine: Engine) -> None:
    words = len(LONG_TEXT.split())

    seconds = await duration(engine, LONG_TEXT)

    low, high = engine.seconds_per_word
    assert low * words <= seconds <= high * words


async def test_other_languages_voices_and_speeds_are_spoken(engine: Engine) -> None:
    audio = await engine.synthesizer.synthesize(
        "Bonjour à tous, voici le premier chapitre.",
        language="fr",
        voice="female",
        speed=1.5,
    )

    assert scan_mp3(audio) is not None


# --- voices -------------------------------------------------------------------------------


def test_lists_its_voices_with_every_voice_type(engine: Engine) -> None:
    voices = engine.synthesizer.voices()

    assert voices
    assert all(check_voice_syntax(v.voice_id) and v.provider and v.name for v in voices)
    assert len({(v.provider, v.voice_id) for v in voices}) == len(voices)
    assert {t for v in voices for t in v.types} == set(VoiceType)


@pytest.mark.parametrize("voice", [None, *VoiceType])
async def test_every_voice_type_is_spoken(engine: Engine, voice: str | None) -> None:
    audio = await engine.synthesizer.synthesize("Hello there.", language="en", voice=voice)

    assert scan_mp3(audio) is not None


async def test_a_listed_voice_id_is_spoken(engine: Engine) -> None:
    voice = engine.synthesizer.voices()[0].voice_id

    audio = await engine.synthesizer.synthesize("Hello there.", language="en", voice=voice)

    assert scan_mp3(audio) is not None


@pytest.mark.parametrize(
    "voice",
    ["no-such-voice", "en+" + "x" * 37, "x" * 100_000, "", "female ", "DEFAULT", "fake-male\n"],
)
async def test_a_voice_it_does_not_offer_is_refused(engine: Engine, voice: str) -> None:
    with pytest.raises(InvalidVoice) as caught:
        await engine.synthesizer.synthesize("Hello there.", language="en", voice=voice)

    assert caught.value.code == "invalid_voice"


@pytest.fixture(params=["memory", "espeak", "fallback", *CLOUD_ENGINES])
def audible_engine(request: pytest.FixtureRequest) -> Engine:
    """The engines whose female and male voices can be told apart by their audio here (the
    gTTS and OpenAI fakes answer the same audio for any voice; their voice mapping is
    tested in tests/integration/adapters; Piper has one voice installed)."""
    return _engine(request, request.param)


async def test_female_and_male_voices_sound_different(audible_engine: Engine) -> None:
    engine = audible_engine
    speak = functools.partial(engine.synthesizer.synthesize, "Hello there.", language="en")

    female, male = await speak(voice="female"), await speak(voice="male")

    assert female != male


@pytest.fixture(params=["memory", "espeak", *CLOUD_ENGINES, "piper"])
def paced_engine(request: pytest.FixtureRequest) -> Engine:
    """The engines whose speed is heard here (gTTS has only "slow"; the OpenAI fake
    ignores the speed)."""
    return _engine(request, request.param)


async def test_a_faster_speed_gives_shorter_audio(paced_engine: Engine) -> None:
    text = "Chapter one tells how the hero leaves home and finds a map."

    normal = await duration(paced_engine, text)
    fast = await duration(paced_engine, text, speed=2.0)
    slow = await duration(paced_engine, text, speed=0.5)

    assert fast < normal * 0.9 < slow * 0.9


async def test_concurrent_calls_do_not_mix(engine: Engine) -> None:
    texts = [f"{SENTENCE * n}Chapter {n} ends here." for n in range(1, 5)]
    alone = [await duration(engine, text) for text in texts]

    together = await asyncio.gather(*(duration(engine, text) for text in texts))

    assert together == pytest.approx(alone, rel=engine.jitter)


# --- the fallback chain -------------------------------------------------------------------


async def test_fallback_tries_the_next_engine_on_upstream_errors_until_one_speaks() -> None:
    first, second, third = (
        BrokenSpeechSynthesizer(),
        BrokenSpeechSynthesizer(),
        FakeSpeechSynthesizer(),
    )
    fourth = BrokenSpeechSynthesizer()
    chain = FallbackSpeechSynthesizer([first, second, third, fourth])

    audio = await chain.synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert (first.calls, second.calls, third.spoken, fourth.calls) == (1, 1, ["Hello there."], 0)


async def test_fallback_does_not_hide_validation_errors() -> None:
    first = BrokenSpeechSynthesizer()
    chain = FallbackSpeechSynthesizer([first, FakeSpeechSynthesizer()])

    with pytest.raises(ValidationFailed):
        await chain.synthesize(" ", language="en")
    with pytest.raises(InvalidVoice):
        await chain.synthesize("Hello.", language="en", voice="no-such-voice")
    assert first.calls == 0


async def test_fallback_gives_a_voice_id_only_to_the_engines_that_offer_it() -> None:
    first, second = FakeSpeechSynthesizer(), FakeSpeechSynthesizer()
    broken = BrokenSpeechSynthesizer()
    chain = FallbackSpeechSynthesizer([broken, first, second])

    await chain.synthesize("Hello.", language="en", voice="fake-robot")
    await chain.synthesize("Hello.", language="en", voice="male")

    assert broken.calls == 1  # only for the voice type: it offers no voice of its own
    assert (first.voices_used, second.voices_used) == (["fake-robot", "fake-male"], [])
    assert chain.voices() == first.voices()


async def test_fallback_raises_transient_when_any_engine_failed_transiently() -> None:
    chain = FallbackSpeechSynthesizer(
        [BrokenSpeechSynthesizer(TransientUpstreamError("busy")), BrokenSpeechSynthesizer()]
    )
    with pytest.raises(TransientUpstreamError, match="Every speech engine failed"):
        await chain.synthesize("Hello.", language="en")

    permanent = FallbackSpeechSynthesizer([BrokenSpeechSynthesizer()])
    with pytest.raises(UpstreamError) as caught:
        await permanent.synthesize("Hello.", language="en")
    assert not isinstance(caught.value, TransientUpstreamError)
