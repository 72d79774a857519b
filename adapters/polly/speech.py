"""Amazon Polly through aioboto3: ``SynthesizeSpeech`` with the neural engine.

Text is SSML (escaped, then ``<prosody rate="150%">`` for the speed) in requests of at most
3,000 characters including tags. Credentials come from the standard AWS chain; the
endpoint is a setting (a compatible server or a local fake). Throttling, 5xx and timeouts
are retried; a refused or missing credential is ``EngineAuthFailed``.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from adapters.mp3_join import validate_speech
from adapters.resilience import RetryAfter, call_with_retries
from adapters.speech_http import VoiceTable, speak_chunks
from adapters.speech_voices import choose_voice
from adapters.ssml import prosody, speak, split_escaped
from domain.errors import EngineAuthFailed, TransientUpstreamError, UpstreamError
from domain.speech import VoiceType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from adapters.resilience import RetryPolicy
    from domain.speech import Voice

__all__ = ["POLLY_VOICES", "PollySpeechSynthesizer"]

PROVIDER = "polly"
MAX_REQUEST_CHARS = 3000
POLLY_VOICES = (
    ("Joanna", "Joanna", "en-US", "female"),
    ("Matthew", "Matthew", "en-US", "male"),
    ("Ivy", "Ivy (child)", "en-US", "female"),
    ("Kevin", "Kevin (child)", "en-US", "male"),
    ("Amy", "Amy", "en-GB", "female"),
    ("Brian", "Brian", "en-GB", "male"),
)
VOICE_FOR_TYPE = {
    VoiceType.DEFAULT: "Joanna",
    VoiceType.FEMALE: "Joanna",
    VoiceType.MALE: "Matthew",
    VoiceType.CHILD: "Ivy",
}
_OVERHEAD = len(speak(prosody("", "200%")))
_TRANSIENT = {
    "ThrottlingException", "Throttling", "TooManyRequestsException", "ServiceFailureException",
    "ServiceUnavailable", "InternalFailure", "RequestTimeout",
}  # fmt: skip
_AUTH = {
    "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException",
    "AccessDenied", "ExpiredTokenException", "InvalidClientTokenId", "MissingAuthenticationToken",
}  # fmt: skip


def _map(error: Exception) -> Exception:
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        message = str(error.response.get("Error", {}).get("Message", ""))[:300]
        if code in _TRANSIENT or status >= 500 or status == 429:
            return RetryAfter(f"Amazon Polly: {code or status}: {message}", retry_after_s=None)
        if code in _AUTH or status in (401, 403):
            return EngineAuthFailed(f"Amazon Polly: credentials refused ({code})")
        return UpstreamError(f"Amazon Polly: {code or status}: {message}")
    if isinstance(error, NoCredentialsError):
        return EngineAuthFailed("Amazon Polly: no AWS credentials are configured")
    if isinstance(error, ReadTimeoutError | ConnectTimeoutError):
        return TransientUpstreamError("Amazon Polly: timed out")
    if isinstance(error, EndpointConnectionError | BotoCoreError):
        return TransientUpstreamError(f"Amazon Polly: {type(error).__name__}")
    return error


class PollySpeechSynthesizer:
    """SpeechSynthesizer on Amazon Polly's neural voices (MP3, 24 kHz).

    One client is opened on first use and kept until ``aclose``. botocore's own retries are
    off: each request runs under ``policy``.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        region: str,
        endpoint_url: str | None = None,
        session: aioboto3.Session | None = None,
        voice_types: Mapping[str, str] | None = None,
    ) -> None:
        self._policy = policy
        self._region = region
        self._endpoint_url = endpoint_url
        self._session = session
        self._table = VoiceTable.of(PROVIDER, POLLY_VOICES, VOICE_FOR_TYPE, voice_types)
        self._client: Any = None
        self._stack = contextlib.AsyncExitStack()
        self._lock = asyncio.Lock()

    def voices(self) -> tuple[Voice, ...]:
        """Polly neural voices, each naming the voice types it stands for."""
        return self._table.catalogue

    async def synthesize(
        self, text: str, *, language: str, voice: str | None = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 for ``text``.

        Raises:
            ValidationFailed, InvalidVoice: bad input (before any request).
            EngineAuthFailed: AWS refused (or found no) credentials.
            UpstreamError: another refusal; TransientUpstreamError after the retries.
        """
        text = validate_speech(text, speed)
        name = choose_voice(
            voice, by_type=self._table.by_type, ids=self._table.ids, engine="Amazon Polly"
        )
        rate = f"{round(min(max(speed, 0.2), 2.0) * 100)}%"
        chunks = split_escaped(text, MAX_REQUEST_CHARS, overhead=_OVERHEAD)

        async def one(chunk: str) -> bytes:
            ssml = speak(prosody(chunk, rate))
            return await call_with_retries(
                self._policy, lambda: self._speak(ssml, name), what="Amazon Polly"
            )

        return await speak_chunks(chunks, one, what="Amazon Polly")

    async def _speak(self, ssml: str, voice_id: str) -> bytes:
        try:
            polly = await self._polly()
            response = await polly.synthesize_speech(
                Engine="neural", OutputFormat="mp3", Text=ssml, TextType="ssml", VoiceId=voice_id
            )
            async with response["AudioStream"] as stream:
                data: bytes = await stream.read()
            return data
        except (ClientError, BotoCoreError) as exc:
            raise _map(exc) from exc

    async def _polly(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    timeout = self._policy.timeout_s
                    config = Config(
                        retries={"total_max_attempts": 1},
                        connect_timeout=timeout,
                        read_timeout=timeout,
                    )
                    session = self._session or aioboto3.Session()
                    self._client = await self._stack.enter_async_context(
                        session.client(
                            "polly",
                            region_name=self._region,
                            endpoint_url=self._endpoint_url,
                            config=config,
                        )
                    )
        return self._client

    async def aclose(self) -> None:
        """Close the client (a later call opens a new one)."""
        await self._stack.aclose()
        self._client = None
        self._stack = contextlib.AsyncExitStack()
