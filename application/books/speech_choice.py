"""Checking a request's speech options against the engines this server has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import InvalidVoice
from domain.speech import SpeechOptions

if TYPE_CHECKING:
    from application.books.ports import SpeechEngines


def choose_speech(
    engines: SpeechEngines, provider: str | None, voice: str | None, speed: float
) -> SpeechOptions:
    """Speech options naming a configured engine and a voice it has.

    ``provider`` defaults to the server's TTS_PROVIDER; ``voice`` to ``default``.

    Raises:
        InvalidProvider: the engine is not configured here.
        InvalidVoice: the voice is neither a voice type nor one of the engine's voice ids.
        ValidationFailed: the speed is outside 0.5-2.0.
    """
    options = SpeechOptions.of(provider or engines.default_provider, voice, speed)
    engine = engines.engine(options.provider)
    if options.voice_type is None and options.voice not in {v.voice_id for v in engine.voices()}:
        raise InvalidVoice(
            f"{options.voice!r} is not a voice of {options.provider}: use default, female, "
            f"male, child or a voice id from GET /api/v1/voices"
        )
    return options


__all__ = ["choose_speech"]
