"""Azure AI Speech over REST: ``POST {base}/cognitiveservices/v1`` with an SSML body.

The key goes in ``Ocp-Apim-Subscription-Key``; the output format in
``X-Microsoft-OutputFormat``. Speed is the prosody ``rate`` written as a multiplier
(``1.50``): a percentage there is relative ("50%" would mean +50 %). Azure silently cuts
audio at 10 minutes, so chunks are kept to 3,000 escaped characters (about 7 minutes at
speed 0.5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.mp3_join import validate_speech
from adapters.speech_http import VoiceTable, post_for_audio, speak_chunks
from adapters.speech_voices import choose_voice
from adapters.ssml import prosody, speak, split_escaped
from domain.errors import QuotaExhausted, UpstreamError
from domain.speech import VoiceType

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from adapters.resilience import RetryPolicy
    from domain.speech import Voice

__all__ = ["AZURE_VOICES", "AzureSpeechSynthesizer", "azure_base_url"]

PROVIDER = "azure"
CHUNK_CHARS = 3000
OUTPUT_FORMAT = "audio-24khz-48kbitrate-mono-mp3"
AZURE_VOICES = (
    ("en-US-JennyNeural", "Jenny", "en-US", "female"),
    ("en-US-GuyNeural", "Guy", "en-US", "male"),
    ("en-US-AnaNeural", "Ana (child)", "en-US", "female"),
    ("en-US-AriaNeural", "Aria", "en-US", "female"),
    ("en-GB-SoniaNeural", "Sonia", "en-GB", "female"),
    ("en-GB-RyanNeural", "Ryan", "en-GB", "male"),
)
VOICE_FOR_TYPE = {
    VoiceType.DEFAULT: "en-US-JennyNeural",
    VoiceType.FEMALE: "en-US-JennyNeural",
    VoiceType.MALE: "en-US-GuyNeural",
    VoiceType.CHILD: "en-US-AnaNeural",
}
_XMLNS = "http://www.w3.org/2001/10/synthesis"


def azure_base_url(region: str) -> str:
    """The regional speech endpoint, e.g. ``https://westeurope.tts.speech.microsoft.com``."""
    return f"https://{region}.tts.speech.microsoft.com"


def _classify(status: int, body: bytes, headers: Mapping[str, str]) -> UpstreamError | None:
    if status == 403 and b"quota" in body.lower():
        return QuotaExhausted("Azure Speech: the subscription's quota is used up")
    return None


class AzureSpeechSynthesizer:
    """SpeechSynthesizer on Azure neural voices (24 kHz mono MP3).

    ``voice_types`` overrides which voice a voice type means.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        *,
        key: str,
        base_url: str,
        voice_types: Mapping[str, str] | None = None,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        if not key:
            raise ValueError("Azure Speech needs a subscription key")
        self._client = client
        self._policy = policy
        self._key = key
        self._url = f"{base_url.rstrip('/')}/cognitiveservices/v1"
        self._chunk_chars = chunk_chars
        self._table = VoiceTable.of(PROVIDER, AZURE_VOICES, VOICE_FOR_TYPE, voice_types)

    def voices(self) -> tuple[Voice, ...]:
        """Azure neural voices, each naming the voice types it stands for."""
        return self._table.catalogue

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text`` in the voice's own language.

        Raises:
            ValidationFailed, InvalidVoice: bad input (before any request).
            EngineAuthFailed, QuotaExhausted: the key or subscription was refused.
            UpstreamError: another refusal; TransientUpstreamError after the retries.
        """
        text = validate_speech(text, speed)
        name = choose_voice(
            voice, by_type=self._table.by_type, ids=self._table.ids, engine="Azure Speech"
        )
        lang = self._table.language_of(name)
        rate = f"{min(max(speed, 0.5), 2.0):.2f}"
        headers = {
            "Ocp-Apim-Subscription-Key": self._key,
            "Content-Type": "application/ssml+xml",
            "X-Microsoft-OutputFormat": OUTPUT_FORMAT,
        }

        async def one(chunk: str) -> bytes:
            inner = f'<voice name="{name}">{prosody(chunk, rate)}</voice>'
            ssml = speak(inner, version="1.0", xmlns=_XMLNS, xml_lang=lang)
            return await post_for_audio(
                self._client, self._url, what="Azure Speech", policy=self._policy,
                classify=_classify, content=ssml.encode(), headers=headers,
            )  # fmt: skip

        chunks = split_escaped(text, self._chunk_chars)
        return await speak_chunks(chunks, one, what="Azure Speech")
