"""What the cloud speech engines share: one POST with the error taxonomy, chunked speech
joined into one MP3, and voice tables overridable by settings.

Error taxonomy (every engine alike): timeouts, connection failures, 408, 429 and 5xx are
transient and retried (honouring Retry-After); 401/403 are ``EngineAuthFailed`` and an
engine's own "quota used up" answer is ``QuotaExhausted`` (neither retried: the speech
fallback chain hands the chapter to the next engine); any other 4xx is an ``UpstreamError``,
never retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from adapters.mp3_join import join_mp3
from adapters.resilience import RetryAfter, call_with_retries, parse_retry_after
from domain.errors import EngineAuthFailed, TransientUpstreamError, UpstreamError
from domain.speech import Voice, VoiceType

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence

    from adapters.resilience import RetryPolicy

__all__ = ["VoiceTable", "http_error", "post_for_audio", "speak_chunks"]

_MAX_MESSAGE = 300


def http_error(status: int, body: bytes, headers: Mapping[str, str], what: str) -> UpstreamError:
    """The domain error for an HTTP error answer (before any engine-specific reading)."""
    text = body[:_MAX_MESSAGE].decode("utf-8", "replace").strip()
    if status in (408, 429) or status >= 500:
        return RetryAfter(
            f"{what}: HTTP {status}: {text}",
            retry_after_s=parse_retry_after(headers.get("retry-after")),
        )
    if status in (401, 403):
        return EngineAuthFailed(f"{what}: HTTP {status}: credentials refused: {text}")
    return UpstreamError(f"{what}: HTTP {status}: {text}")


async def post_for_audio(
    client: httpx.AsyncClient,
    url: str,
    *,
    what: str,
    policy: RetryPolicy,
    classify: Callable[[int, bytes, Mapping[str, str]], UpstreamError | None] | None = None,
    read: Callable[[bytes], bytes] = bytes,
    **request: Any,
) -> bytes:
    """POST ``request`` (httpx keyword arguments) to ``url`` under ``policy``; the audio.

    ``classify`` may name an engine's own errors first (e.g. quota); ``read`` turns a 2xx
    body into MP3 bytes (e.g. base64 in JSON).
    """

    async def once() -> bytes:
        try:
            response = await client.post(url, **request)
        except httpx.TimeoutException as exc:
            raise TransientUpstreamError(f"{what}: timed out") from exc
        except httpx.TransportError as exc:
            raise TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            specific = (
                classify(response.status_code, response.content, response.headers)
                if (classify)
                else None
            )
            raise specific or http_error(
                response.status_code, response.content, response.headers, what
            )
        return read(response.content)

    return await call_with_retries(policy, once, what=what)


async def speak_chunks(
    chunks: Iterable[str], speak: Callable[[str], Awaitable[bytes]], *, what: str
) -> bytes:
    """Each chunk spoken in turn, the MP3 answers joined (each checked to be MP3)."""
    parts = [await speak(chunk) for chunk in chunks]
    return join_mp3(parts, what=what)


@dataclass(frozen=True, slots=True)
class VoiceTable:
    """An engine's voices: its catalogue and which voice each voice type means."""

    provider: str
    by_type: dict[VoiceType, str]
    catalogue: tuple[Voice, ...]

    @classmethod
    def of(
        cls,
        provider: str,
        known: Sequence[tuple[str, str, str, str | None]],
        by_type: Mapping[VoiceType, str],
        overrides: Mapping[str, str] | None = None,
    ) -> VoiceTable:
        """A table from ``known`` voices (id, name, language, gender) and the type mapping,
        ``overrides`` (type name -> voice id, from settings) winning. A voice named only in
        an override joins the catalogue."""
        mapping = dict(by_type)
        for name, voice_id in (overrides or {}).items():
            mapping[VoiceType(name)] = voice_id
        rows = {row[0]: row for row in known}
        for voice_id in mapping.values():
            rows.setdefault(voice_id, (voice_id, voice_id, _language_of(voice_id), None))
        catalogue = tuple(
            Voice(provider, vid, name, lang, gender, _types_of(vid, mapping))
            for vid, name, lang, gender in rows.values()
        )
        return cls(provider, mapping, catalogue)

    @property
    def ids(self) -> frozenset[str]:
        """Every voice id of the catalogue."""
        return frozenset(v.voice_id for v in self.catalogue)

    def language_of(self, voice_id: str) -> str:
        """The language tag of a catalogue voice (``en-US``)."""
        for voice in self.catalogue:
            if voice.voice_id == voice_id:
                return voice.language
        return _language_of(voice_id)


def _types_of(voice_id: str, mapping: Mapping[VoiceType, str]) -> tuple[VoiceType, ...]:
    return tuple(t for t, v in mapping.items() if v == voice_id)


def _language_of(voice_id: str) -> str:
    """``en-US`` from ``en-US-Neural2-F``; ``en-US`` when the id names no language."""
    parts = voice_id.split("-")
    if len(parts) >= 3 and len(parts[0]) == 2 and len(parts[1]) == 2:
        return f"{parts[0]}-{parts[1]}"
    return "en-US"
