"""PreviewVoice: a few seconds of one engine's voice, to hear before making a book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.speech_choice import choose_speech
from domain.errors import ValidationFailed

if TYPE_CHECKING:
    from application.books.ports import SpeechEngines

MAX_PREVIEW_CHARS = 500


@dataclass(frozen=True, slots=True)
class PreviewCommand:
    """What to say, and how."""

    text: str
    provider: str | None = None
    voice: str | None = None
    speed: float = 1.0
    language: str = "en"


class PreviewVoice:
    """Speak up to 500 characters with the chosen engine, voice and speed (no fallback:
    the voice asked for is the voice heard)."""

    def __init__(self, *, engines: SpeechEngines) -> None:
        self._engines = engines

    async def __call__(self, command: PreviewCommand) -> bytes:
        """MP3 bytes.

        Raises:
            ValidationFailed: empty or over-long text, a bad speed.
            InvalidProvider, InvalidVoice: an engine or voice this server does not have.
            UpstreamError: the engine failed.
        """
        text = command.text.strip()
        if not text or len(text) > MAX_PREVIEW_CHARS:
            raise ValidationFailed(
                f"a preview speaks 1 to {MAX_PREVIEW_CHARS} characters, not {len(text)}",
                details=[{"field": "text", "message": f"1 to {MAX_PREVIEW_CHARS} characters"}],
            )
        speech = choose_speech(self._engines, command.provider, command.voice, command.speed)
        engine = self._engines.engine(speech.provider)
        return await engine.synthesize(
            text, language=command.language, voice=speech.voice, speed=speech.speed
        )


__all__ = ["MAX_PREVIEW_CHARS", "PreviewCommand", "PreviewVoice"]
