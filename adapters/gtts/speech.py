"""Speech through Google Translate's text-to-speech, via the synchronous gTTS library."""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import Any

from adapters.mp3_join import join_mp3, split_text, validate_speech
from adapters.resilience import RetryAfter, RetryPolicy, call_with_retries, parse_retry_after
from domain.errors import TransientUpstreamError, UpstreamError

__all__ = ["GttsSpeechSynthesizer"]

CHUNK_CHARS = 1000
SLOW_BELOW = 0.8  # Google has two speeds: speeds under this one ask for "slow"


class GttsSpeechSynthesizer:
    """SpeechSynthesizer on gTTS.

    gTTS blocks, so each call runs in a worker thread, under ``policy`` (timeout, retries of
    429/5xx/network failures). Text goes in chunks of at most ``chunk_chars`` (gTTS further
    splits each into ~100-character requests); a retry repeats one chunk, not the chapter.
    ``timeout_s`` bounds each HTTP request gTTS makes, so an abandoned thread ends too.
    ``voice`` is ignored (Google picks it; ``tld`` picks the accent, e.g. "co.uk"); speed
    below 0.8 asks for Google's slow reading, any other speed is normal.
    """

    def __init__(
        self,
        timeout_s: float,
        policy: RetryPolicy,
        tld: str = "com",
        *,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        if not 0 < chunk_chars <= 5000:
            raise ValueError("chunk_chars must be between 1 and 5000")
        self._timeout_s = timeout_s
        self._policy = policy
        self._tld = tld
        self._chunk_chars = chunk_chars

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = None, speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text`` in ``language`` (ISO 639-1).

        Raises:
            ValidationFailed: empty text or a bad speed.
            UpstreamError: Google does not speak the language, or refused the request.
            TransientUpstreamError: timeouts, 429, 5xx or network failures, after retries.
        """
        text = validate_speech(text, speed)
        lang = _google_language(language)
        slow = speed < SLOW_BELOW
        parts: list[bytes] = []
        for chunk in split_text(text, self._chunk_chars):
            call = functools.partial(self._speak_in_thread, chunk, lang, slow)
            parts.append(await call_with_retries(self._policy, call, what="Google TTS"))
        return join_mp3(parts, what="Google TTS")

    async def _speak_in_thread(self, text: str, lang: str, slow: bool) -> bytes:
        """``_speak`` in a worker thread, told to stop once this call is over (e.g. timed out)."""
        over = threading.Event()
        try:
            return await asyncio.to_thread(self._speak, text, lang, slow, over)
        finally:
            over.set()

    def _speak(self, text: str, lang: str, slow: bool, over: threading.Event) -> bytes:
        """One chunk's MP3 (blocking): gTTS answers one MP3 per ~100-character request."""
        from gtts import gTTS, gTTSError

        tts = gTTS(
            text, tld=self._tld, lang=lang, slow=slow, lang_check=False, timeout=self._timeout_s
        )
        try:
            tts.get_bodies()  # no I/O: gTTS asserts there is something left to speak
        except AssertionError as exc:
            raise UpstreamError(f"Google TTS finds nothing to speak in {text[:40]!r}") from exc
        pieces: list[bytes] = []
        try:
            for piece in tts.stream():
                if over.is_set():  # the caller gave up: make no more requests
                    raise TransientUpstreamError("Google TTS call abandoned")
                pieces.append(piece)
        except gTTSError as exc:
            raise _domain_error(exc) from exc
        if not pieces:
            raise UpstreamError("Google TTS returned no audio")
        return join_mp3(pieces, what="Google TTS")


@functools.cache
def _languages() -> frozenset[str]:
    from gtts.lang import tts_langs

    return frozenset(tts_langs())


def _google_language(language: str) -> str:
    """gTTS's tag for an ISO 639-1 code (or a tag like "pt-BR"), or UpstreamError."""
    tag = language.strip().replace("_", "-")
    base, _, region = tag.partition("-")
    for candidate in (tag, f"{base.lower()}-{region.upper()}", base.lower()):
        if candidate in _languages():
            return candidate
    raise UpstreamError(f"Google TTS does not speak language {language!r}")


def _domain_error(exc: Exception) -> Exception:
    """Map a gTTSError: no response (network, timeout), 429 and 5xx are transient."""
    response: Any = getattr(exc, "rsp", None)
    if response is None:
        return TransientUpstreamError(f"Google TTS unreachable: {exc.__context__ or exc}")
    status = int(response.status_code)
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RetryAfter(f"Google TTS answered {status}", retry_after_s=retry_after)
    return UpstreamError(f"Google TTS answered {status}: {exc}")
