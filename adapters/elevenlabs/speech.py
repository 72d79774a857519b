"""ElevenLabs over REST: ``POST {base}/v1/text-to-speech/{voice_id}`` (``xi-api-key``).

The model is a setting (models get retired); speed is ``voice_settings.speed``, which
ElevenLabs bounds to 0.7-1.2 (a speed outside is clamped). A used-up quota answers 401 with
``detail.status == "quota_exceeded"``: that is ``QuotaExhausted``, a bad key
``EngineAuthFailed``. Text goes in plain (no SSML), in chunks of 5,000 characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.mp3_join import split_text, validate_speech
from adapters.speech_http import VoiceTable, post_for_audio, speak_chunks
from adapters.speech_voices import choose_voice
from domain.errors import EngineAuthFailed, QuotaExhausted, UpstreamError
from domain.speech import VoiceType

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from adapters.resilience import RetryPolicy
    from domain.speech import Voice

__all__ = ["ELEVENLABS_VOICES", "ElevenLabsSpeechSynthesizer"]

PROVIDER = "elevenlabs"
DEFAULT_BASE_URL = "https://api.elevenlabs.io"
CHUNK_CHARS = 5000
MIN_SPEED, MAX_SPEED = 0.7, 1.2
OUTPUT_FORMAT = "mp3_44100_128"
ELEVENLABS_VOICES = (
    ("21m00Tcm4TlvDq8ikWAM", "Rachel", "en-US", "female"),
    ("pNInz6obpgDQGcFmaJgB", "Adam", "en-US", "male"),
    ("jBpfuIE2acCO8z3wKNLl", "Gigi", "en-US", "female"),
    ("EXAVITQu4vr4xnSDxMaL", "Sarah", "en-US", "female"),
    ("JBFqnCBsd6RMkjVDRZzb", "George", "en-GB", "male"),
)
VOICE_FOR_TYPE = {
    VoiceType.DEFAULT: "21m00Tcm4TlvDq8ikWAM",
    VoiceType.FEMALE: "21m00Tcm4TlvDq8ikWAM",
    VoiceType.MALE: "pNInz6obpgDQGcFmaJgB",
    VoiceType.CHILD: "jBpfuIE2acCO8z3wKNLl",
}


def _classify(status: int, body: bytes, headers: Mapping[str, str]) -> UpstreamError | None:
    if status == 401 and b"quota_exceeded" in body:
        return QuotaExhausted("ElevenLabs: the account's character quota is used up")
    if status == 401:
        return EngineAuthFailed("ElevenLabs: the API key was refused")
    return None


class ElevenLabsSpeechSynthesizer:
    """SpeechSynthesizer on ElevenLabs voices (44.1 kHz MP3). Voices are ids; the
    catalogue names them. ``voice_types`` overrides which voice id a voice type means."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        *,
        api_key: str,
        model: str,
        base_url: str = DEFAULT_BASE_URL,
        voice_types: Mapping[str, str] | None = None,
    ) -> None:
        if not api_key or not model:
            raise ValueError("ElevenLabs needs an API key and a model id")
        self._client = client
        self._policy = policy
        self._api_key = api_key
        self._model = model
        self._base = base_url.rstrip("/")
        self._table = VoiceTable.of(PROVIDER, ELEVENLABS_VOICES, VOICE_FOR_TYPE, voice_types)

    def voices(self) -> tuple[Voice, ...]:
        """ElevenLabs premade voices, each naming the voice types it stands for."""
        return self._table.catalogue

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text``.

        Raises:
            ValidationFailed, InvalidVoice: bad input (before any request).
            EngineAuthFailed, QuotaExhausted: the key was refused or the quota is used up.
            UpstreamError: another refusal; TransientUpstreamError after the retries.
        """
        text = validate_speech(text, speed)
        voice_id = choose_voice(
            voice, by_type=self._table.by_type, ids=self._table.ids, engine="ElevenLabs"
        )
        url = f"{self._base}/v1/text-to-speech/{voice_id}"
        settings = {"speed": min(max(speed, MIN_SPEED), MAX_SPEED)}

        async def one(chunk: str) -> bytes:
            body = {"text": chunk, "model_id": self._model, "voice_settings": settings}
            return await post_for_audio(
                self._client, url, what="ElevenLabs", policy=self._policy, classify=_classify,
                json=body, params={"output_format": OUTPUT_FORMAT},
                headers={"xi-api-key": self._api_key, "Accept": "audio/mpeg"},
            )  # fmt: skip

        return await speak_chunks(split_text(text, CHUNK_CHARS), one, what="ElevenLabs")
