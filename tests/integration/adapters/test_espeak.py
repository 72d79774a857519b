"""EspeakSpeechSynthesizer: voices from the wheel's data, speech in a child process."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import espeakng_loader
import pytest

from adapters.espeak import EspeakSpeechSynthesizer
from adapters.espeak.library import speak_mp3
from adapters.espeak.voices import EspeakVoices
from adapters.native import ChildProcessPool, NativeCrash, NativeTimeout
from domain.audio import scan_mp3
from domain.errors import InvalidVoice, TransientUpstreamError
from domain.speech import VoiceType
from tests.support import native_children as children

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

OVERFLOWING_VOICE = "en+" + "x" * 37  # glibc aborts espeak-ng: "buffer overflow detected"


@pytest.fixture(scope="module")
def voices() -> EspeakVoices:
    return EspeakVoices(espeakng_loader.get_data_path())


@pytest.fixture
async def pool() -> AsyncIterator[ChildProcessPool]:
    pool = ChildProcessPool("espeak-ng", timeout_s=10)
    yield pool
    await pool.aclose()


# --- voices (read from the data files; no C library) --------------------------------------


def test_lists_language_voices_each_with_female_male_and_child_variants(
    voices: EspeakVoices,
) -> None:
    by_id = {v.voice_id: v for v in voices.voices()}

    assert {"en", "en-US", "fr", "de", "pt-BR", "cmn"} <= by_id.keys()
    assert {f"en-US+{variant}" for variant in ("f1", "f5", "m1", "m7", "zac")} <= by_id.keys()
    assert (by_id["en-US+f3"].gender, by_id["en-US+f3"].types) == ("female", (VoiceType.FEMALE,))
    assert by_id["en-US+m3"].types == (VoiceType.MALE,)
    assert by_id["en-US+zac"].types == (VoiceType.CHILD,)
    assert (by_id["fr"].name, by_id["fr"].types) == ("French (France)", (VoiceType.DEFAULT,))


def test_voices_without_a_dictionary_in_the_wheel_are_not_listed(voices: EspeakVoices) -> None:
    ids = {v.voice_id for v in voices.voices()}

    assert not {"fo", "kaa", "xex"} & ids  # listed in lang/, but no fo_dict etc.


@pytest.mark.parametrize(
    ("language", "voice"),
    [("en", "en"), ("en-US", "en-US"), ("en_us", "en-US"), ("pt-BR", "pt-BR"), ("de-AT", "de"),
     ("zh", "cmn"), ("no", "nb"), ("iw", "he"), ("es-MX", "es-419"), ("xx", "en")],
)  # fmt: skip
def test_voice_types_speak_the_language_in_its_variant(
    voices: EspeakVoices, language: str, voice: str
) -> None:
    chosen = [voices.choose(t, language) for t in (None, "default", "female", "male", "child")]

    assert chosen == [voice, voice, f"{voice}+f3", f"{voice}+m3", f"{voice}+zac"]


def test_a_voice_id_wins_over_the_language(voices: EspeakVoices) -> None:
    assert voices.choose("fr+m3", "en") == "fr+m3"


@pytest.mark.parametrize("voice", [OVERFLOWING_VOICE, "en+xx", "en+Mr serious", "en-us", "fo"])
def test_anything_else_is_refused(voices: EspeakVoices, voice: str) -> None:
    with pytest.raises(InvalidVoice):
        voices.choose(voice, "en")


# --- speech in a child process ------------------------------------------------------------


async def test_every_listed_voice_is_one_espeak_speaks(
    voices: EspeakVoices, pool: ChildProcessPool
) -> None:
    ids = [v.voice_id for v in voices.voices()]

    assert await pool.run(children.espeak_voice_problems, ids) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
async def test_espeak_runs_in_a_child_and_never_in_this_process(pool: ChildProcessPool) -> None:
    speech = EspeakSpeechSynthesizer(pool=pool)

    audio = await speech.synthesize("Hello there.", language="en")

    assert scan_mp3(audio) is not None
    assert pool.pids() and os.getpid() not in pool.pids()
    assert await pool.run(children.espeak_is_loaded)
    assert not children.espeak_is_loaded()


async def test_the_overflowing_voice_is_refused_before_any_child_starts(
    pool: ChildProcessPool,
) -> None:
    speech = EspeakSpeechSynthesizer(pool=pool)

    with pytest.raises(InvalidVoice):
        await speech.synthesize("Hello there.", language="en", voice=OVERFLOWING_VOICE)

    assert pool.pids() == []


async def test_an_espeak_crash_fails_one_call_and_the_next_one_speaks(
    pool: ChildProcessPool,
) -> None:
    speech = EspeakSpeechSynthesizer(pool=pool)
    await speech.synthesize("Hello there.", language="en")
    [crashed] = pool.pids()

    with pytest.raises(NativeCrash, match=r"espeak-ng crashed \(killed by SIGABRT\)"):
        await pool.run(speak_mp3, ["Hello there."], OVERFLOWING_VOICE, 175, 48)  # the old bug

    assert scan_mp3(await speech.synthesize("Hello again.", language="en")) is not None
    assert crashed not in pool.pids()


async def test_speech_past_its_time_limit_is_a_timeout(pool: ChildProcessPool) -> None:
    speech = EspeakSpeechSynthesizer(pool=pool, chunk_timeout_s=0.001)

    with pytest.raises(NativeTimeout, match="espeak-ng did not finish"):
        await speech.synthesize("Hello there.", language="en")


async def test_aclose_stops_the_pool_it_made_and_leaves_a_given_one_alone(
    pool: ChildProcessPool,
) -> None:
    own, shared = EspeakSpeechSynthesizer(), EspeakSpeechSynthesizer(pool=pool)
    await own.synthesize("Hello there.", language="en")
    await shared.synthesize("Hello there.", language="en")

    await own.aclose()
    await shared.aclose()

    with pytest.raises(TransientUpstreamError, match="shut down"):
        await own.synthesize("Hello there.", language="en")
    assert scan_mp3(await shared.synthesize("Hello there.", language="en")) is not None
