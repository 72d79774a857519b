"""A deterministic speech synthesizer: valid, silent MP3 whose length follows the word count."""

from __future__ import annotations

from adapters.mp3_join import validate_speech
from adapters.speech_voices import choose_voice
from domain.speech import Voice, VoiceType

__all__ = ["VOICES", "FakeSpeechSynthesizer", "KeptLoudness", "silent_mp3"]

PROVIDER = "memory"
VOICES = (
    Voice(PROVIDER, "fake-neutral", "Fake neutral", "mul", None, (VoiceType.DEFAULT,)),
    Voice(PROVIDER, "fake-female", "Fake female", "mul", "female", (VoiceType.FEMALE,)),
    Voice(PROVIDER, "fake-male", "Fake male", "mul", "male", (VoiceType.MALE,)),
    Voice(PROVIDER, "fake-child", "Fake child", "mul", None, (VoiceType.CHILD,)),
    Voice(PROVIDER, "fake-robot", "Fake robot", "mul"),
)
_BY_TYPE = {t: v.voice_id for v in VOICES for t in v.types}
_IDS = frozenset(v.voice_id for v in VOICES)

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


def id3_tag(artist: str) -> bytes:
    """An ID3v2.4 tag whose one frame (TPE1, the artist) is ``artist``."""
    body = b"\x03" + artist.encode()  # 3: UTF-8
    frame = b"TPE1" + _synchsafe(len(body)) + b"\x00\x00" + body
    return b"ID3\x04\x00\x00" + _synchsafe(len(frame)) + frame


def _synchsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


class FakeSpeechSynthesizer:
    """SpeechSynthesizer without I/O: ``SECONDS_PER_WORD`` of silence per word, divided by speed.

    The MP3 starts with an ID3 tag naming the voice, so each voice gives different bytes.
    ``spoken`` and ``voices_used`` record every text it spoke and the voice id it used.
    """

    def __init__(self) -> None:
        self.spoken: list[str] = []
        self.voices_used: list[str] = []

    def voices(self) -> tuple[Voice, ...]:
        """Five fake voices: one per voice type, and one of no type."""
        return VOICES

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """Silent MP3 for ``text``.

        Raises:
            ValidationFailed: empty text or a bad speed.
            InvalidVoice: ``voice`` is neither a voice type nor one of ``voices()``.
        """
        words = validate_speech(text, speed).split()
        voice_id = choose_voice(voice, by_type=_BY_TYPE, ids=_IDS, engine="the fake engine")
        self.spoken.append(text)
        self.voices_used.append(voice_id)
        return id3_tag(voice_id) + silent_mp3(len(words) * SECONDS_PER_WORD / speed)


class KeptLoudness:
    """LoudnessNormalizer that keeps the audio as it is (fake speech is silence); records
    each call in ``seen``."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []

    async def normalize(self, audio: bytes) -> bytes:
        self.seen.append(audio)
        return audio
