"""Google Cloud Text-to-Speech over REST: ``POST {base}/v1/text:synthesize``.

Authenticated with an API key (``X-Goog-Api-Key``) or a service account's OAuth token.
Each request carries at most 5,000 *bytes* of SSML including markup, so text is escaped,
then split by its UTF-8 size. Audio comes back base64 in JSON; ``speakingRate`` is the speed.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

import msgspec

from adapters.mp3_join import validate_speech
from adapters.speech_http import VoiceTable, post_for_audio, speak_chunks
from adapters.speech_voices import choose_voice
from adapters.ssml import speak, split_escaped
from domain.errors import EngineAuthFailed, QuotaExhausted, UpstreamError
from domain.speech import VoiceType

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from adapters.google_tts.credentials import ServiceAccountToken
    from adapters.resilience import RetryPolicy
    from domain.speech import Voice

__all__ = ["GOOGLE_VOICES", "GoogleSpeechSynthesizer"]

PROVIDER = "google"
DEFAULT_BASE_URL = "https://texttospeech.googleapis.com"
MAX_REQUEST_BYTES = 5000
_SPEAK_OVERHEAD = len(speak(""))
GOOGLE_VOICES = (
    ("en-US-Neural2-F", "Neural2 F (US)", "en-US", "female"),
    ("en-US-Neural2-D", "Neural2 D (US)", "en-US", "male"),
    ("en-US-Neural2-H", "Neural2 H (US)", "en-US", "female"),
    ("en-US-Neural2-J", "Neural2 J (US)", "en-US", "male"),
    ("en-GB-Neural2-A", "Neural2 A (GB)", "en-GB", "female"),
    ("en-GB-Neural2-B", "Neural2 B (GB)", "en-GB", "male"),
)
VOICE_FOR_TYPE = {
    VoiceType.DEFAULT: "en-US-Neural2-F",
    VoiceType.FEMALE: "en-US-Neural2-F",
    VoiceType.MALE: "en-US-Neural2-D",
    VoiceType.CHILD: "en-US-Neural2-H",
}


class _Audio(msgspec.Struct):
    audioContent: str


_audio = msgspec.json.Decoder(_Audio)


def _read_audio(body: bytes) -> bytes:
    try:
        return base64.b64decode(_audio.decode(body).audioContent, validate=True)
    except (msgspec.DecodeError, binascii.Error) as exc:
        raise UpstreamError("Google TTS: the answer holds no base64 audioContent") from exc


def _classify(status: int, body: bytes, headers: Mapping[str, str]) -> UpstreamError | None:
    text = body[:2000].decode("utf-8", "replace")
    if status == 400 and ("API_KEY_INVALID" in text or "API key not valid" in text):
        return EngineAuthFailed("Google TTS: the API key is not valid")
    if status == 403 and ("BILLING" in text.upper() or "quota" in text.lower()):
        return QuotaExhausted("Google TTS: billing or quota refused for this project")
    if status == 429 and "per day" in text.lower():
        return QuotaExhausted("Google TTS: the daily quota is used up")
    return None


class GoogleSpeechSynthesizer:
    """SpeechSynthesizer on Google Cloud TTS (MP3, Neural2 voices by default).

    Give ``api_key`` or ``token`` (a service account). ``voice_types`` overrides which voice
    a voice type means (``{"male": "en-GB-Neural2-B"}``); the voice's own language is sent.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        *,
        api_key: str | None = None,
        token: ServiceAccountToken | None = None,
        base_url: str = DEFAULT_BASE_URL,
        voice_types: Mapping[str, str] | None = None,
    ) -> None:
        if not api_key and token is None:
            raise ValueError("Google TTS needs an API key or service account credentials")
        self._client = client
        self._policy = policy
        self._api_key = api_key
        self._token = token
        self._url = f"{base_url.rstrip('/')}/v1/text:synthesize"
        self._table = VoiceTable.of(PROVIDER, GOOGLE_VOICES, VOICE_FOR_TYPE, voice_types)

    def voices(self) -> tuple[Voice, ...]:
        """Neural2 voices, each naming the voice types it stands for."""
        return self._table.catalogue

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text`` (``language`` is the voice's own; see the class).

        Raises:
            ValidationFailed, InvalidVoice: bad input (before any request).
            EngineAuthFailed, QuotaExhausted: the key or project was refused.
            UpstreamError: another refusal; TransientUpstreamError after the retries.
        """
        text = validate_speech(text, speed)
        name = choose_voice(
            voice, by_type=self._table.by_type, ids=self._table.ids, engine="Google TTS"
        )
        rate = min(max(speed, 0.25), 4.0)
        chunks = split_escaped(
            text, MAX_REQUEST_BYTES, size=lambda s: len(s.encode()), overhead=_SPEAK_OVERHEAD
        )
        language_code = self._table.language_of(name)

        async def one(chunk: str) -> bytes:
            body = {
                "input": {"ssml": speak(chunk)},
                "voice": {"languageCode": language_code, "name": name},
                "audioConfig": {"audioEncoding": "MP3", "speakingRate": rate},
            }
            return await post_for_audio(
                self._client, self._url, what="Google TTS", policy=self._policy,
                classify=_classify, read=_read_audio, json=body, headers=await self._auth(),
            )  # fmt: skip

        return await speak_chunks(chunks, one, what="Google TTS")

    async def _auth(self) -> dict[str, str]:
        if self._token is not None:
            return {"Authorization": f"Bearer {await self._token.token()}"}
        return {"X-Goog-Api-Key": self._api_key or ""}
