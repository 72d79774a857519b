"""Offline speech: espeak-ng (from the espeakng-loader wheel) encoded to MP3 with lameenc."""

from __future__ import annotations

import asyncio
from typing import Any

from adapters.espeak.library import RATE_NORMAL, EspeakLibrary, espeak_library
from adapters.mp3_join import join_mp3, split_text, validate_speech
from domain.errors import UpstreamError

__all__ = ["EspeakSpeechSynthesizer"]

FALLBACK_VOICE = "en"
CHUNK_CHARS = 2000
# ISO 639-1 codes whose espeak-ng voice has another name; the rest are used as they are.
_VOICE_FOR_LANGUAGE = {"zh": "cmn", "no": "nb", "iw": "he", "in": "id", "tl": "fil"}


class EspeakSpeechSynthesizer:
    """SpeechSynthesizer that needs no network and no system package.

    The voice is the call's ``voice`` if espeak-ng knows it, else ``voice_default`` if it
    knows that, else the voice for ``language`` (ISO 639-1, e.g. "fr", or a tag like
    "pt-BR"), else English. ``speed`` scales espeak's 175 words per minute (80-450).
    Speech runs in worker threads, a chunk at a time (espeak-ng itself is serialised by a
    process-wide lock), and is encoded to mono MP3 at ``bitrate_kbps``.
    """

    def __init__(
        self,
        voice_default: str | None = None,
        *,
        bitrate_kbps: int = 48,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self._voice_default = voice_default
        self._bitrate_kbps = bitrate_kbps
        self._chunk_chars = chunk_chars

    def voices(self, language: str, voice: str | None = None) -> list[str]:
        """The espeak-ng voice names to try, best first."""
        tag = language.strip().replace("_", "-").lower()
        base = tag.split("-")[0]
        wanted = [voice, self._voice_default, tag, _VOICE_FOR_LANGUAGE.get(base, base)]
        return list(dict.fromkeys(v for v in [*wanted, FALLBACK_VOICE] if v))

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = None, speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text``.

        Raises:
            ValidationFailed: empty text or a bad speed.
            UpstreamError: espeak-ng could not be loaded or failed to speak.
        """
        text = validate_speech(text, speed)
        voices = self.voices(language, voice)
        rate = round(RATE_NORMAL * speed)
        library = await asyncio.to_thread(_load)
        encoder = _encoder(library.sample_rate, self._bitrate_kbps)
        mp3 = bytearray()
        for chunk in split_text(text, self._chunk_chars):
            mp3 += await asyncio.to_thread(_speak, library, encoder, chunk, voices, rate)
        mp3 += encoder.flush()
        return join_mp3([bytes(mp3)], what="espeak-ng")


def _load() -> EspeakLibrary:
    try:
        return espeak_library()
    except (OSError, RuntimeError) as exc:
        raise UpstreamError(f"espeak-ng is not available: {exc}") from exc


def _encoder(sample_rate: int, bitrate_kbps: int) -> Any:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return encoder


def _speak(library: EspeakLibrary, encoder: Any, text: str, voices: list[str], rate: int) -> bytes:
    """One chunk spoken and MP3-encoded (blocking; the encoder carries over between chunks)."""
    try:
        pcm, _voice = library.synthesize(text, voices, rate)
    except (LookupError, RuntimeError) as exc:
        raise UpstreamError(str(exc)) from exc
    return bytes(encoder.encode(pcm))
