"""Speech options: which engine speaks, in which voice, how fast; and the voices engines offer.

A voice is asked for either by *type* (``default``, ``female``, ``male``, ``child``), which
each engine maps to one of its own voices, or by an engine's own voice id as GET /voices
lists it. Anything else is refused with ``invalid_voice`` before it reaches an engine.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

from domain.errors import InvalidVoice, ValidationFailed

MIN_SPEED = 0.5
MAX_SPEED = 2.0
MAX_VOICE_CHARS = 64
# Engine voice ids are short names such as "en-GB-Neural2-F", "Joanna", "en_US-joe-medium",
# "21m00Tcm4TlvDq8ikWAM" or "en+f3": letters, digits and a few separators, nothing else.
_VOICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+:-]*")
_PROVIDER = re.compile(r"[a-z][a-z0-9_]{0,31}")


class VoiceType(enum.StrEnum):
    """A kind of voice every engine offers (mapped to one of its own voices)."""

    DEFAULT = "default"
    FEMALE = "female"
    MALE = "male"
    CHILD = "child"


@dataclass(frozen=True, slots=True)
class Voice:
    """One voice an engine offers: its id, and the voice types it stands for there."""

    provider: str
    voice_id: str
    name: str
    language: str
    gender: str | None = None
    types: tuple[VoiceType, ...] = ()


def check_speed(speed: float) -> float:
    """``speed`` if it is a reading speed from 0.5 to 2.0. Raises ValidationFailed."""
    if isinstance(speed, bool) or not isinstance(speed, int | float):
        raise ValidationFailed(f"speed must be a number from {MIN_SPEED} to {MAX_SPEED}")
    if not math.isfinite(speed) or not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValidationFailed(
            f"speed must be from {MIN_SPEED} to {MAX_SPEED}, not {speed!r}",
            details=[{"field": "speed", "message": f"must be from {MIN_SPEED} to {MAX_SPEED}"}],
        )
    return float(speed)


def check_voice_syntax(voice: str) -> str:
    """``voice`` if it could be a voice type or an engine voice id. Raises InvalidVoice."""
    if not 0 < len(voice) <= MAX_VOICE_CHARS or not _VOICE_ID.fullmatch(voice):
        raise InvalidVoice(
            f"{voice[:MAX_VOICE_CHARS]!r} is not a voice: use one of "
            f"{', '.join(t.value for t in VoiceType)} or a voice id from GET /api/v1/voices"
        )
    return voice


def check_provider_syntax(provider: str) -> str:
    """``provider`` if it could name a speech engine. Raises ValidationFailed."""
    if not _PROVIDER.fullmatch(provider):
        raise ValidationFailed(f"{provider[:32]!r} is not a speech engine name")
    return provider


@dataclass(frozen=True, slots=True)
class SpeechOptions:
    """How a text is spoken: the engine (``provider``), the voice, and the reading speed.

    Built with ``SpeechOptions.of``, which checks each value; whether the engine is
    configured and knows the voice is checked by the use case that submits the work.
    """

    provider: str
    voice: str = VoiceType.DEFAULT.value
    speed: float = 1.0

    @classmethod
    def of(cls, provider: str, voice: str | None = None, speed: float = 1.0) -> SpeechOptions:
        """Checked speech options. Raises InvalidVoice or ValidationFailed."""
        return cls(
            provider=check_provider_syntax(provider),
            voice=check_voice_syntax(voice or VoiceType.DEFAULT.value),
            speed=check_speed(speed),
        )

    @property
    def voice_type(self) -> VoiceType | None:
        """The voice type asked for, or None when ``voice`` is an engine's own voice id."""
        try:
            return VoiceType(self.voice)
        except ValueError:
            return None

    @property
    def key(self) -> str:
        """A canonical text form, equal for equal options (``espeak|female|1.00``)."""
        return f"{self.provider}|{self.voice}|{self.speed:.2f}"


__all__ = [
    "MAX_SPEED",
    "MIN_SPEED",
    "SpeechOptions",
    "Voice",
    "VoiceType",
    "check_provider_syntax",
    "check_speed",
    "check_voice_syntax",
]
