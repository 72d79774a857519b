"""Splitting text for speech engines and joining the MP3 parts they answer."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.memory.speech import silent_mp3
from adapters.mp3_join import join_mp3, split_text, validate_speech
from domain.audio import scan_mp3
from domain.errors import UpstreamError, ValidationFailed

ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"TIT2" + bytes(6)
ID3V1 = b"TAG" + bytes(125)


def info_frame(tag: bytes = b"Xing") -> bytes:
    """A 128 kbit/s MPEG-1 joint-stereo frame carrying a Xing/Info header (after 32 bytes)."""
    frame = bytearray(silent_mp3(0.01))
    frame[36:40] = tag
    return bytes(frame)


def duration(data: bytes) -> float:
    info = scan_mp3(data)
    assert info is not None
    return info.duration_s


# --- validate_speech ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\t"])
def test_blank_text_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        validate_speech(text, 1.0)


@pytest.mark.parametrize("speed", [0.0, -0.5, math.nan, math.inf])
def test_a_speed_that_is_not_a_positive_number_is_refused(speed: float) -> None:
    with pytest.raises(ValidationFailed):
        validate_speech("Hello.", speed)


def test_text_is_stripped() -> None:
    assert validate_speech("  Hello.\n", 1.5) == "Hello."


# --- split_text ---------------------------------------------------------------------------


def test_short_text_is_one_chunk() -> None:
    assert split_text("One. Two.", 100) == ["One. Two."]


def test_chunks_end_at_sentence_boundaries() -> None:
    text = "First sentence here. Second sentence here! Third one? Fourth."

    assert split_text(text, 45) == [
        "First sentence here. Second sentence here!",
        "Third one? Fourth.",
    ]


def test_a_long_sentence_is_split_at_spaces_and_a_long_word_anywhere() -> None:
    assert split_text("aaa bbb ccc ddd", 7) == ["aaa bbb", "ccc ddd"]
    assert split_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abc xyz.!?\n"), min_size=1, max_size=60),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=1, max_value=120),
)
def test_split_keeps_every_character_and_respects_the_limit(parts: list[str], limit: int) -> None:
    text = " ".join(parts)

    chunks = split_text(text, limit)

    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


# --- join_mp3 -----------------------------------------------------------------------------


def test_one_part_is_returned_as_it_is() -> None:
    part = ID3 + info_frame() + silent_mp3(1)

    assert join_mp3([part]) == part


def test_durations_add_up() -> None:
    parts = [silent_mp3(1), silent_mp3(2.5), silent_mp3(0.3)]

    joined = join_mp3(parts)

    assert duration(joined) == pytest.approx(sum(map(duration, parts)))


def test_tags_and_info_headers_are_dropped_but_the_first_id3_kept() -> None:
    audio = silent_mp3(1)
    parts = [ID3 + info_frame(b"Info") + audio, ID3 + info_frame(b"Xing") + audio + ID3V1]

    joined = join_mp3(parts)

    assert joined == ID3 + audio + audio
    assert duration(joined) == pytest.approx(2 * duration(audio))


def test_a_vbri_header_is_dropped_too() -> None:
    audio = silent_mp3(0.5)

    assert join_mp3([audio, info_frame(b"VBRI") + audio]) == audio + audio


@pytest.mark.parametrize(
    "bad",
    [b"RIFF....WAVEfmt ", b"", ID3, silent_mp3(1)[:-10], silent_mp3(1) + b"junk"],
    ids=["wav", "empty", "only-a-tag", "truncated", "trailing-junk"],
)
def test_a_part_that_is_not_mp3_is_an_upstream_error(bad: bytes) -> None:
    with pytest.raises(UpstreamError):
        join_mp3([silent_mp3(1), bad])
    with pytest.raises(UpstreamError):
        join_mp3([bad])


def test_parts_with_different_sample_rates_are_refused() -> None:
    mpeg2_frame = b"\xff\xf3\x40\xc4" + bytes(104 - 4)  # MPEG-2, 32 kbit/s, 22.05 kHz, mono
    assert scan_mp3(mpeg2_frame) is not None

    with pytest.raises(UpstreamError, match="sample rate"):
        join_mp3([silent_mp3(1), mpeg2_frame])
