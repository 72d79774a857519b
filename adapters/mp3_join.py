"""Long text for speech engines: check it, split it to an engine's limit, join the MP3 parts.

Engines take a bounded amount of text per request, so a chapter is spoken in chunks and the
MP3 answers are joined into one stream. Joining concatenates MPEG frames: the first part's
ID3v2 tag is kept, every other ID3v2/ID3v1 tag is dropped, and every Xing/Info/VBRI header
frame is dropped (its frame and byte counts would describe one part, not the whole), so
``domain.audio.scan_mp3`` accepts the result and its duration is the sum of the parts'.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from domain.errors import UpstreamError, ValidationFailed

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "Mp3Joiner",
    "frame_positions",
    "join_mp3",
    "mp3_frames",
    "split_text",
    "validate_speech",
]

_SENTENCE_END = re.compile(r"(?<=[.!?;:\u2026\u3002\uff01\uff1f])\s+|\n\s*\n")  # CJK stops too
_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_ID3V1_SIZE = 128


def validate_speech(text: str, speed: float) -> str:
    """The text to speak, stripped.

    Raises:
        ValidationFailed: the text is empty or blank, or ``speed`` is not a positive number.
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed("There is no text to speak.")
    if not math.isfinite(speed) or speed <= 0:
        raise ValidationFailed(f"Speech speed must be a positive number, not {speed!r}.")
    return stripped


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters.

    Chunks end at sentence boundaries where possible, else at spaces, else anywhere.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = " ".join(sentence.split())
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        for word in sentence.split(" "):
            pieces.extend(word[i : i + limit] for i in range(0, len(word), limit))
    chunks: list[str] = []
    current = ""
    for piece in filter(None, pieces):
        if current and len(current) + 1 + len(piece) <= limit:
            current = f"{current} {piece}"
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _id3v2_size(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def _frame(data: bytes, pos: int) -> tuple[int, int] | None:
    """(length, sample rate) of the MPEG Layer III frame at ``pos``, or None."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 0x3
    layer = (data[pos + 1] >> 1) & 0x3
    rate_index = (data[pos + 2] >> 2) & 0x3
    if version == 1 or layer != 1 or rate_index == 3:
        return None
    bitrate = (_BITRATES_V1 if version == 3 else _BITRATES_V2)[data[pos + 2] >> 4]
    if bitrate == 0:
        return None
    sample_rate = _SAMPLE_RATES[version][rate_index]
    samples = 1152 if version == 3 else 576
    padding = (data[pos + 2] >> 1) & 0x1
    return samples // 8 * bitrate * 1000 // sample_rate + padding, sample_rate


def _is_info_frame(frame: bytes) -> bool:
    """Whether the frame is a Xing/Info or VBRI header rather than audio."""
    mpeg1 = (frame[1] >> 3) & 0x3 == 3
    mono = frame[3] >> 6 == 3
    side_info = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    crc = 0 if frame[1] & 0x1 else 2
    at = 4 + crc + side_info
    return frame[at : at + 4] in (b"Xing", b"Info") or frame[36:40] == b"VBRI"


def frame_positions(part: bytes, what: str = "the audio") -> list[tuple[int, int]]:
    """(offset, sample rate) of each MPEG Layer III frame of one MP3; tags are skipped.

    Raises:
        UpstreamError: the bytes are not a run of whole Layer III frames.
    """
    pos = _id3v2_size(part)
    found: list[tuple[int, int]] = []
    while pos < len(part):
        frame = _frame(part, pos)
        if frame is None:
            if part[pos : pos + 3] == b"TAG" and len(part) - pos == _ID3V1_SIZE:
                break
            raise UpstreamError(f"{what} returned audio that is not MP3 (byte {pos}).")
        length, rate = frame
        if pos + length > len(part):
            raise UpstreamError(f"{what} returned a truncated MP3 frame (byte {pos}).")
        found.append((pos, rate))
        pos += length
    return found


def _frames(part: bytes, what: str) -> tuple[list[bytes], int]:
    """The frames of one MP3 part and its sample rate; tags are skipped."""
    frames: list[bytes] = []
    rates: set[int] = set()
    for pos, rate in frame_positions(part, what):
        length, _ = _frame(part, pos) or (0, 0)
        frames.append(part[pos : pos + length])
        rates.add(rate)
    if not frames:
        raise UpstreamError(f"{what} returned audio without MP3 frames.")
    if len(rates) > 1:
        raise UpstreamError(f"{what} returned MP3 with mixed sample rates.")
    return frames, rates.pop()


def join_mp3(parts: Sequence[bytes], *, what: str = "the speech engine") -> bytes:
    """One MP3 stream made of ``parts`` in order (one part is returned as it is).

    Raises:
        UpstreamError: a part is not MP3, or the parts differ in sample rate.
    """
    if not parts:
        raise ValueError("nothing to join")
    if len(parts) == 1:
        _frames(parts[0], what)
        return parts[0]
    joined = bytearray(parts[0][: _id3v2_size(parts[0])])
    rates: set[int] = set()
    for part in parts:
        frames, rate = _frames(part, what)
        rates.add(rate)
        if _is_info_frame(frames[0]) and len(frames) > 1:
            frames = frames[1:]
        for frame in frames:
            joined += frame
    if len(rates) > 1:
        raise UpstreamError(f"{what} returned MP3 parts with different sample rates.")
    return bytes(joined)


def mp3_frames(part: bytes, what: str = "the audio") -> tuple[list[bytes], int]:
    """The audio frames of one MP3 (tags and a Xing/Info/VBRI header frame left out) and
    its sample rate. Raises UpstreamError when it is not MP3."""
    frames, rate = _frames(part, what)
    if len(frames) > 1 and _is_info_frame(frames[0]):
        frames = frames[1:]
    return frames, rate


class Mp3Joiner:
    """AudioJoiner over ``join_mp3``."""

    def join(self, parts: Sequence[bytes]) -> bytes:
        return join_mp3(parts)
