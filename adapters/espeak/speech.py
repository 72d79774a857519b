"""Offline speech: espeak-ng (from the espeakng-loader wheel) encoded to MP3 with lameenc.

The C code runs in child processes (``adapters.native.ChildProcessPool``): a crash in
espeak-ng fails one call with a retryable NativeCrash, and the server lives on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.espeak.library import RATE_NORMAL, speak_mp3
from adapters.espeak.voices import EspeakVoices
from adapters.mp3_join import join_mp3, split_text, validate_speech
from adapters.native import ChildProcessPool

if TYPE_CHECKING:
    from domain.speech import Voice

__all__ = ["EspeakSpeechSynthesizer"]

CHUNK_CHARS = 2000
CHUNK_TIMEOUT_S = 30.0  # a 2000-character chunk takes ~0.3 s


class EspeakSpeechSynthesizer:
    """SpeechSynthesizer that needs no network and no system package.

    ``voice`` is a voice type, spoken in the espeak-ng voice for ``language`` (ISO 639-1,
    e.g. "fr", or a tag like "pt-BR"; English when espeak-ng has none) with a female, male
    or child-like variant, or a voice id from ``voices()`` ("en-us", "fr+m3"). ``speed``
    scales espeak's 175 words per minute (80-450). Text is spoken in chunks of
    ``chunk_chars`` into one mono MP3 at ``bitrate_kbps``, in a child process of ``pool``
    (by default one child, started on first use), with ``chunk_timeout_s`` per chunk.
    ``aclose()`` stops the children of the pool it made.
    """

    def __init__(
        self,
        *,
        pool: ChildProcessPool | None = None,
        data_path: str | None = None,
        bitrate_kbps: int = 48,
        chunk_chars: int = CHUNK_CHARS,
        chunk_timeout_s: float = CHUNK_TIMEOUT_S,
    ) -> None:
        self._owns_pool = pool is None
        self._pool = pool or ChildProcessPool("espeak-ng")
        self._data_path = data_path
        self._voices: EspeakVoices | None = None
        self._bitrate_kbps = bitrate_kbps
        self._chunk_chars = chunk_chars
        self._chunk_timeout_s = chunk_timeout_s

    def voices(self) -> tuple[Voice, ...]:
        """Every espeak-ng language voice, each with its female, male and child variants."""
        return self._catalogue().voices()

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text``.

        Raises:
            ValidationFailed: empty text or a bad speed.
            InvalidVoice: ``voice`` is neither a voice type nor one of ``voices()``.
            UpstreamError: espeak-ng could not be loaded or failed to speak.
            NativeCrash, NativeTimeout: espeak-ng crashed or hung (retryable).
        """
        text = validate_speech(text, speed)
        name = self._catalogue().choose(voice, language)
        chunks = split_text(text, self._chunk_chars)
        rate = round(RATE_NORMAL * speed)
        mp3 = await self._pool.run(
            speak_mp3, chunks, name, rate, self._bitrate_kbps,
            timeout_s=self._chunk_timeout_s * len(chunks),
        )  # fmt: skip
        return join_mp3([mp3], what="espeak-ng")

    async def aclose(self) -> None:
        """Stop the espeak-ng child processes (unless the pool was passed in)."""
        if self._owns_pool:
            await self._pool.aclose()

    def _catalogue(self) -> EspeakVoices:
        if self._voices is None:
            if self._data_path is None:
                import espeakng_loader

                self._data_path = espeakng_loader.get_data_path()
            self._voices = EspeakVoices(self._data_path)
        return self._voices
