"""OpenAI SDK exceptions to domain errors, a call helper with our timeout and retries, and
a checked reading of a chat completion.

The SDK client must be built with ``max_retries=0``: retries are ours (``call_with_retries``),
so every external call behaves alike. Mapping: timeouts, connection failures, 408, 429 and
5xx -> ``TransientUpstreamError`` (``RetryAfter`` when the server said how long to wait);
429 ``insufficient_quota``, a body that is not JSON and every other error -> ``UpstreamError``
(a retry will not help).
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, TypeVar

import openai
from openai.types.chat import ChatCompletion

from adapters.resilience import RetryAfter, call_with_retries, parse_retry_after
from domain.errors import TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from adapters.resilience import RetryPolicy

T = TypeVar("T")


def _retry_after_s(error: openai.APIStatusError) -> float | None:
    headers = error.response.headers
    milliseconds = parse_retry_after(headers.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000
    return parse_retry_after(headers.get("retry-after"))


def map_openai_error(error: openai.OpenAIError, what: str) -> UpstreamError:
    """The domain error for an SDK exception raised while doing ``what``."""
    if isinstance(error, openai.APITimeoutError):
        return TransientUpstreamError(f"{what}: timed out")
    if isinstance(error, openai.APIConnectionError):
        return TransientUpstreamError(f"{what}: connection failed: {error}")
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        if status == 429 and error.code == "insufficient_quota":
            return UpstreamError(f"{what}: quota exhausted: {error.message}")
        if status in (408, 429) or status >= 500:
            return RetryAfter(f"{what}: HTTP {status}", retry_after_s=_retry_after_s(error))
        return UpstreamError(f"{what}: HTTP {status}: {error.message}")
    return UpstreamError(f"{what}: {type(error).__name__}: {error}")


async def call_openai(
    policy: RetryPolicy,
    call: Callable[[], Awaitable[T]],
    *,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Await an SDK ``call()`` under ``policy``, SDK errors mapped by ``map_openai_error``.

    Raises:
        TransientUpstreamError: still failing transiently after the retries.
        UpstreamError: a failure retrying will not fix.
    """

    async def attempt() -> T:
        try:
            return await call()
        except openai.OpenAIError as exc:
            raise map_openai_error(exc, what) from exc
        except json.JSONDecodeError as exc:  # the SDK decodes JSON bodies with the stdlib
            raise UpstreamError(f"{what}: the answer is not JSON") from exc

    return await call_with_retries(policy, attempt, what=what, sleep=sleep)


def message_content(completion: Any, what: str) -> str | None:
    """The text of a completion's first choice; None for a refusal or an empty message.

    The SDK does not validate answers, so a server that is not really OpenAI-compatible can
    hand back anything; that is checked here.

    Raises:
        UpstreamError: the answer is not a chat completion with at least one choice.
    """
    choices = getattr(completion, "choices", None)
    if not isinstance(completion, ChatCompletion) or not isinstance(choices, list) or not choices:
        raise UpstreamError(f"{what}: the answer is not a chat completion")
    message = getattr(choices[0], "message", None)
    if message is None or getattr(message, "refusal", None):
        return None
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None
