"""Speech through OpenAI's text-to-speech API (or any server that speaks it, via base_url)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.mp3_join import join_mp3, split_text, validate_speech
from adapters.openai.errors import call_openai
from adapters.speech_voices import choose_voice
from domain.speech import Voice, VoiceType

if TYPE_CHECKING:
    from openai import AsyncOpenAI

    from adapters.resilience import RetryPolicy

__all__ = ["OPENAI_VOICES", "OpenAISpeechSynthesizer"]

PROVIDER = "openai"
MAX_INPUT_CHARS = 4096  # the API's limit per request
MIN_SPEED, MAX_SPEED = 0.25, 4.0
OPENAI_VOICES = (
    "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse",
)  # fmt: skip
# The configured voice is the default; these stand for the other types.
VOICE_FOR_TYPE = {VoiceType.FEMALE: "nova", VoiceType.MALE: "onyx", VoiceType.CHILD: "shimmer"}
_GENDERS = {"nova": "female", "onyx": "male", "shimmer": "female"}


class OpenAISpeechSynthesizer:
    """SpeechSynthesizer on ``client.audio.speech.create`` (MP3).

    ``model`` and ``voice`` come from configuration: TTS models get retired, so none is
    built in. ``voice`` is the default voice type; female, male and child are nova, onyx and
    shimmer; a voice id is one of ``OPENAI_VOICES`` (or the configured voice, which a
    compatible server behind ``base_url`` may name otherwise). ``speed`` is clamped to the
    API's 0.25-4.0; ``language`` is not sent (the model reads the text as written). Text longer
    than 4096 characters is spoken in sentence-aligned requests whose MP3s are joined.
    The SDK's own retries are switched off: each request runs under ``policy``.
    """

    def __init__(self, client: AsyncOpenAI, model: str, voice: str, policy: RetryPolicy) -> None:
        if not model or not voice:
            raise ValueError("an OpenAI TTS model and voice must be configured")
        self._client = client.with_options(max_retries=0, timeout=policy.timeout_s)
        self._model = model
        self._policy = policy
        self._by_type = {VoiceType.DEFAULT: voice, **VOICE_FOR_TYPE}
        self._voices = tuple(
            Voice(
                PROVIDER, name, name.capitalize(), "mul", _GENDERS.get(name),
                tuple(t for t, v in self._by_type.items() if v == name),
            )
            for name in dict.fromkeys((voice, *OPENAI_VOICES))
        )  # fmt: skip
        self._ids = frozenset(v.voice_id for v in self._voices)

    def voices(self) -> tuple[Voice, ...]:
        """The configured voice, then OpenAI's voices."""
        return self._voices

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text``.

        Raises:
            ValidationFailed: empty text or a bad speed.
            InvalidVoice: ``voice`` is neither a voice type nor one of ``voices()``.
            UpstreamError: the API refused the request (bad model or voice, quota, auth).
            TransientUpstreamError: timeouts, 429, 5xx or network failures, after retries.
        """
        text = validate_speech(text, speed)
        name = choose_voice(voice, by_type=self._by_type, ids=self._ids, engine="OpenAI TTS")
        speed = min(max(speed, MIN_SPEED), MAX_SPEED)
        parts: list[bytes] = []
        for chunk in split_text(text, MAX_INPUT_CHARS):
            parts.append(await self._speak(chunk, name, speed))
        return join_mp3(parts, what="OpenAI TTS")

    async def _speak(self, text: str, voice: str, speed: float) -> bytes:
        async def call() -> bytes:
            response = await self._client.audio.speech.create(
                model=self._model,
                voice=voice,
                input=text,
                response_format="mp3",
                speed=speed,
            )
            return response.content

        return await call_openai(self._policy, call, what="OpenAI TTS")
