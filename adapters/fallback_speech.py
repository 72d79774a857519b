"""A chain of speech synthesizers: when one fails upstream, the next one speaks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.mp3_join import validate_speech
from domain.errors import InvalidVoice, TransientUpstreamError, UpstreamError
from domain.speech import VoiceType, check_voice_syntax

if TYPE_CHECKING:
    from collections.abc import Sequence

    from application.books.ports import SpeechSynthesizer
    from domain.speech import Voice

__all__ = ["FallbackSpeechSynthesizer"]

log = logging.getLogger(__name__)


class FallbackSpeechSynthesizer:
    """SpeechSynthesizer that tries ``engines`` in order (e.g. openai, gtts, espeak).

    Empty text or a bad speed is refused (ValidationFailed) before any engine runs. An
    engine's UpstreamError (after its own retries) hands the whole text to the next engine,
    so one chapter is never spoken by two voices; any other error is raised at once. When
    every engine fails, the last error is chained to a TransientUpstreamError if any failure
    was transient (a later job retry may succeed), else to an UpstreamError.

    A voice type goes to every engine, each speaking its own voice of that type; a voice id
    goes only to the engines that offer it, so the voice asked for is the voice heard.
    """

    def __init__(self, engines: Sequence[SpeechSynthesizer]) -> None:
        if not engines:
            raise ValueError("a fallback chain needs at least one engine")
        self._engines = tuple(engines)
        self._voice_ids: list[frozenset[str]] | None = None

    def voices(self) -> tuple[Voice, ...]:
        """Every engine's voices, in engine order."""
        return tuple(dict.fromkeys(v for engine in self._engines for v in engine.voices()))

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 from the first engine that succeeds.

        Raises:
            ValidationFailed: empty text or a bad speed (before any engine runs).
            InvalidVoice: no engine offers ``voice`` (before any engine runs).
        """
        validate_speech(text, speed)
        voice = VoiceType.DEFAULT.value if voice is None else voice
        failures: list[UpstreamError] = []
        for engine in self._engines_for(voice):
            try:
                return await engine.synthesize(text, language=language, voice=voice, speed=speed)
            except UpstreamError as exc:
                failures.append(exc)
                log.warning(
                    "speech engine %s failed (%s: %s); trying the next one",
                    type(engine).__name__, exc.code, exc.message,
                )  # fmt: skip
        summary = "; ".join(f"{type(e).__name__}: {e.message}" for e in failures)
        error_type = (
            TransientUpstreamError
            if any(isinstance(e, TransientUpstreamError) for e in failures)
            else UpstreamError
        )
        raise error_type(f"Every speech engine failed: {summary}") from failures[-1]

    def _engines_for(self, voice: str) -> tuple[SpeechSynthesizer, ...]:
        """The engines that can speak ``voice``. Raises InvalidVoice when none can."""
        name = check_voice_syntax(voice)
        if name in {t.value for t in VoiceType}:
            return self._engines
        if self._voice_ids is None:  # engines' voices do not change: read them once
            self._voice_ids = [frozenset(v.voice_id for v in e.voices()) for e in self._engines]
        engines = tuple(
            e for e, ids in zip(self._engines, self._voice_ids, strict=True) if name in ids
        )
        if not engines:
            raise InvalidVoice(f"no speech engine has the voice {name!r}")
        return engines
