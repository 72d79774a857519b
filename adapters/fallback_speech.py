"""A chain of speech synthesizers: when one fails upstream, the next one speaks."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from adapters.mp3_join import validate_speech
from domain.errors import TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from application.books.ports import SpeechSynthesizer

__all__ = ["FallbackSpeechSynthesizer"]

log = logging.getLogger(__name__)


class FallbackSpeechSynthesizer:
    """SpeechSynthesizer that tries ``engines`` in order (e.g. openai, gtts, espeak).

    Empty text or a bad speed is refused (ValidationFailed) before any engine runs. An
    engine's UpstreamError (after its own retries) hands the whole text to the next engine,
    so one chapter is never spoken by two voices; any other error is raised at once. When
    every engine fails, the last error is chained to a TransientUpstreamError if any failure
    was transient (a later job retry may succeed), else to an UpstreamError.
    """

    def __init__(self, engines: Sequence[SpeechSynthesizer]) -> None:
        if not engines:
            raise ValueError("a fallback chain needs at least one engine")
        self._engines = tuple(engines)

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = None, speed: float = 1.0
    ) -> bytes:
        """MP3 from the first engine that succeeds. Raises ValidationFailed for empty text."""
        validate_speech(text, speed)
        failures: list[UpstreamError] = []
        for engine in self._engines:
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
