"""A deterministic speech synthesizer: valid, silent MP3 whose length follows the word count."""

from __future__ import annotations

from adapters.mp3_join import validate_speech

__all__ = ["FakeSpeechSynthesizer"]

SECONDS_PER_WORD = 0.4
_SAMPLE_RATE = 44100
_SAMPLES_PER_FRAME = 1152
_BITRATE = 128_000
_BYTES_PER_FRAME_X = _SAMPLES_PER_FRAME // 8 * _BITRATE  # frame length times the sample rate
_HEADER = b"\xff\xfb\x90\x64"  # MPEG-1 Layer III, no CRC, 128 kbit/s, 44.1 kHz, joint stereo
_HEADER_PADDED = b"\xff\xfb\x92\x64"  # the same with the padding bit set


def silent_mp3(duration_s: float) -> bytes:
    """Silent 128 kbit/s 44.1 kHz MP3 of about ``duration_s`` seconds (at least one frame).

    Frames are 417 bytes, or 418 with the padding bit, spread so the mean bitrate is exact.
    """
    count = max(1, round(duration_s * _SAMPLE_RATE / _SAMPLES_PER_FRAME))
    out = bytearray()
    for index in range(count):
        length = (index + 1) * _BYTES_PER_FRAME_X // _SAMPLE_RATE - (
            index * _BYTES_PER_FRAME_X // _SAMPLE_RATE
        )
        header = _HEADER_PADDED if length > _BYTES_PER_FRAME_X // _SAMPLE_RATE else _HEADER
        out += header + bytes(length - len(header))
    return bytes(out)


class FakeSpeechSynthesizer:
    """SpeechSynthesizer without I/O: ``SECONDS_PER_WORD`` of silence per word, divided by speed.

    ``spoken`` records every text it was asked to speak, for assertions.
    """

    def __init__(self) -> None:
        self.spoken: list[str] = []

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = None, speed: float = 1.0
    ) -> bytes:
        """Silent MP3 for ``text``. Raises ValidationFailed for empty text or a bad speed."""
        words = validate_speech(text, speed).split()
        self.spoken.append(text)
        return silent_mp3(len(words) * SECONDS_PER_WORD / speed)
