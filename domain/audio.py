"""MP3 frame arithmetic: enough to check that bytes are MP3 and to measure their duration."""

from __future__ import annotations

from dataclasses import dataclass

# MPEG-1 Layer III bitrates (kbit/s) by index; sample rates (Hz) by version and index.
_BITRATES_V1_L3 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_BITRATES_V2_L3 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True, slots=True)
class Mp3Info:
    """What a scan of MP3 frames found."""

    frames: int
    duration_s: float
    sample_rate: int
    bitrate_kbps: int


def _skip_id3(data: bytes) -> int:
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for b in data[6:10]:
            size = (size << 7) | (b & 0x7F)
        return 10 + size
    return 0


def _frame(data: bytes, pos: int) -> tuple[int, int, int, int] | None:
    """(length, samples, sample_rate, bitrate) of the Layer III frame at ``pos``, or None."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 0x3
    layer = (data[pos + 1] >> 1) & 0x3
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 0x3
    padding = (data[pos + 2] >> 1) & 0x1
    if version == 1 or layer != 1 or rate_index == 3:
        return None
    bitrates = _BITRATES_V1_L3 if version == 3 else _BITRATES_V2_L3
    bitrate = bitrates[bitrate_index]
    if bitrate == 0:
        return None
    sample_rate = _SAMPLE_RATES[version][rate_index]
    samples = 1152 if version == 3 else 576
    length = samples // 8 * bitrate * 1000 // sample_rate + padding
    return length, samples, sample_rate, bitrate


def scan_mp3(data: bytes) -> Mp3Info | None:
    """Walk the MPEG Layer III frames of ``data``.

    Returns None unless the bytes (after an optional ID3v2 tag) are a run of at least
    one well-formed frame that ends exactly where the data ends.
    """
    pos = _skip_id3(data)
    frames = 0
    samples_total = 0
    sample_rate = bitrate = 0
    while pos < len(data):
        frame = _frame(data, pos)
        if frame is None:
            # Tolerate a trailing ID3v1 tag only.
            if data[pos : pos + 3] == b"TAG" and len(data) - pos == 128:
                break
            return None
        length, samples, sample_rate, bitrate = frame
        if pos + length > len(data):
            return None
        pos += length
        frames += 1
        samples_total += samples
    if frames == 0:
        return None
    return Mp3Info(frames, samples_total / sample_rate, sample_rate, bitrate)
