"""Speech options, recipes and renditions: the rules that keep a voice or a speed from
reaching an engine unchecked, and the keys that make one recipe one rendition."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidVoice, ValidationFailed
from domain.recipe import Mode, Recipe
from domain.rendition import Rendition, chapter_audio_key
from domain.speech import MAX_SPEED, MIN_SPEED, SpeechOptions, VoiceType

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_only_speeds_from_half_to_double_are_accepted(speed: float) -> None:
    if math.isfinite(speed) and MIN_SPEED <= speed <= MAX_SPEED:
        assert SpeechOptions.of("espeak", "default", speed).speed == speed
    else:
        with pytest.raises(ValidationFailed):
            SpeechOptions.of("espeak", "default", speed)


@given(st.text(max_size=100))
def test_a_voice_is_a_short_plain_name_or_it_is_refused(voice: str) -> None:
    plain = (
        0 < len(voice) <= 64
        and voice.isascii()
        and voice[0].isalnum()
        and all(c.isalnum() or c in "_.+:-" for c in voice)
    )
    if plain:
        assert SpeechOptions.of("espeak", voice).voice == voice
    elif voice:
        with pytest.raises(InvalidVoice):
            SpeechOptions.of("espeak", voice)


@pytest.mark.parametrize("voice", ["en+" + "x" * 62, "fe\x00male", "en us", "../etc", "é"])
def test_hostile_voices_are_invalid_voice(voice: str) -> None:
    with pytest.raises(InvalidVoice):
        SpeechOptions.of("espeak", voice)


def test_no_voice_means_the_default_voice_type() -> None:
    options = SpeechOptions.of("espeak")
    assert options.voice_type is VoiceType.DEFAULT
    assert SpeechOptions.of("espeak", "en-us").voice_type is None


@pytest.mark.parametrize("provider", ["", "Polly", "po lly", "x" * 33, "1abc"])
def test_a_provider_name_must_look_like_one(provider: str) -> None:
    with pytest.raises(ValidationFailed):
        SpeechOptions.of(provider)


def test_equal_recipes_have_equal_keys_and_any_difference_changes_the_key() -> None:
    base = Recipe(Mode.SUMMARY, SpeechOptions.of("espeak", "female", 1.0))
    assert base.key == Recipe(Mode.SUMMARY, SpeechOptions.of("espeak", "female", 1)).key
    others = [
        Recipe(Mode.FULL, base.speech),
        Recipe(Mode.SUMMARY, SpeechOptions.of("gtts", "female", 1.0)),
        Recipe(Mode.SUMMARY, SpeechOptions.of("espeak", "male", 1.0)),
        Recipe(Mode.SUMMARY, SpeechOptions.of("espeak", "female", 1.25)),
    ]
    assert len({base.key, *(o.key for o in others)}) == 5


def test_a_mode_is_one_of_the_guideline_names() -> None:
    assert Mode.parse("summary_explanation") is Mode.SUMMARY_EXPLANATION
    with pytest.raises(ValidationFailed):
        Mode.parse("poem")


def test_a_rendition_is_completed_once_and_keys_audio_by_rendition() -> None:
    book, rendition_id = uuid.uuid4(), uuid.uuid4()
    rendition = Rendition(rendition_id, book, Mode.SUMMARY, SpeechOptions.of("memory"), NOW, NOW)
    assert not rendition.is_complete
    later = datetime(2026, 2, 1, tzinfo=UTC)
    done = rendition.completed(NOW).completed(later)
    assert done.completed_at == NOW
    key = chapter_audio_key(book, rendition_id, 7)
    assert key == f"books/{book}/renditions/{rendition_id}/chapter-007.mp3"
