"""Speech through Google Translate's text-to-speech, via the synchronous gTTS library."""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import Any

from adapters.mp3_join import join_mp3, split_text, validate_speech
from adapters.resilience import RetryAfter, RetryPolicy, call_with_retries, parse_retry_after
from adapters.speech_voices import choose_voice
from domain.errors import TransientUpstreamError, UpstreamError
from domain.speech import Voice, VoiceType

__all__ = ["ACCENTS", "GttsSpeechSynthesizer"]

PROVIDER = "gtts"
CHUNK_CHARS = 1000
SLOW_BELOW = 0.8  # Google has two speeds: speeds under this one ask for "slow"
# Google has one voice per language; the Translate host (gTTS's ``tld``) gives it an accent.
ACCENTS = {
    "com": ("mul", "Google Translate (translate.google.com)"),
    "com.au": ("en-AU", "English (Australia)"),
    "co.uk": ("en-GB", "English (United Kingdom)"),
    "us": ("en-US", "English (United States)"),
    "ca": ("en-CA", "English (Canada)"),
    "co.in": ("en-IN", "English (India)"),
    "ie": ("en-IE", "English (Ireland)"),
    "co.za": ("en-ZA", "English (South Africa)"),
    "com.ng": ("en-NG", "English (Nigeria)"),
    "fr": ("fr-FR", "French (France)"),
    "com.br": ("pt-BR", "Portuguese (Brazil)"),
    "pt": ("pt-PT", "Portuguese (Portugal)"),
    "com.mx": ("es-MX", "Spanish (Mexico)"),
    "es": ("es-ES", "Spanish (Spain)"),
}


class GttsSpeechSynthesizer:
    """SpeechSynthesizer on gTTS.

    gTTS blocks, so each call runs in a worker thread, under ``policy`` (timeout, retries of
    429/5xx/network failures). Text goes in chunks of at most ``chunk_chars`` (gTTS further
    splits each into ~100-character requests); a retry repeats one chunk, not the chapter.
    ``timeout_s`` bounds each HTTP request gTTS makes, so an abandoned thread ends too.
    Google has one voice per language: every voice type is the accent of ``tld``; a voice id
    is another accent, named by its Translate host (e.g. "co.uk", see ``ACCENTS``). Speed
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
        accents = {tld: ("mul", f"Google Translate (translate.google.{tld})"), **ACCENTS}
        self._accents = frozenset(accents)
        self._voices = tuple(
            Voice(PROVIDER, accent, name, lang, None, tuple(VoiceType) if accent == tld else ())
            for accent, (lang, name) in accents.items()
        )

    def voices(self) -> tuple[Voice, ...]:
        """The accents (Translate hosts); the configured one stands for every voice type."""
        return self._voices

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text`` in ``language`` (ISO 639-1).

        Raises:
            ValidationFailed: empty text or a bad speed.
            InvalidVoice: ``voice`` is neither a voice type nor one of ``voices()``.
            UpstreamError: Google does not speak the language, or refused the request.
            TransientUpstreamError: timeouts, 429, 5xx or network failures, after retries.
        """
        text = validate_speech(text, speed)
        by_type = dict.fromkeys(VoiceType, self._tld)
        tld = choose_voice(voice, by_type=by_type, ids=self._accents, engine="Google TTS")
        lang = _google_language(language)
        slow = speed < SLOW_BELOW
        parts: list[bytes] = []
        for chunk in split_text(text, self._chunk_chars):
            call = functools.partial(self._speak_in_thread, chunk, lang, slow, tld)
            parts.append(await call_with_retries(self._policy, call, what="Google TTS"))
        return join_mp3(parts, what="Google TTS")

    async def _speak_in_thread(self, text: str, lang: str, slow: bool, tld: str) -> bytes:
        """``_speak`` in a worker thread, told to stop once this call is over (e.g. timed out)."""
        over = threading.Event()
        try:
            return await asyncio.to_thread(self._speak, text, lang, slow, tld, over)
        finally:
            over.set()

    def _speak(self, text: str, lang: str, slow: bool, tld: str, over: threading.Event) -> bytes:
        """One chunk's MP3 (blocking): gTTS answers one MP3 per ~100-character request."""
        from gtts import gTTS, gTTSError

        tts = gTTS(text, tld=tld, lang=lang, slow=slow, lang_check=False, timeout=self._timeout_s)
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
