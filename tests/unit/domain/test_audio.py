"""The MP3 frame scanner."""

from __future__ import annotations

import lameenc
import pytest

from domain.audio import scan_mp3


def encode_silence(seconds: float, rate: int = 22050) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    pcm = b"\x00\x00" * int(seconds * rate)
    return bytes(encoder.encode(pcm) + encoder.flush())


@pytest.mark.parametrize("seconds", [0.5, 2.0, 5.0])
def test_real_mp3_duration_is_measured(seconds: float) -> None:
    info = scan_mp3(encode_silence(seconds))
    assert info is not None
    assert info.sample_rate == 22050
    assert abs(info.duration_s - seconds) < 0.15


def test_id3_tags_are_skipped() -> None:
    body = encode_silence(1.0)
    tag = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5
    info = scan_mp3(tag + body)
    assert info is not None
    assert abs(info.duration_s - 1.0) < 0.15


@pytest.mark.parametrize("data", [b"", b"not an mp3 at all", b"\xff\xfb" + b"\x00" * 10])
def test_non_mp3_bytes_are_refused(data: bytes) -> None:
    assert scan_mp3(data) is None


def test_truncated_mp3_is_refused() -> None:
    assert scan_mp3(encode_silence(1.0)[:-10]) is None
