"""The shared httpx client of the metadata adapters, and a JSON GET with our error mapping.

Status mapping (one place, so every HTTP adapter behaves alike):
timeout / connection failure / 5xx -> ``TransientUpstreamError`` (429 and 503 as ``RetryAfter``
carrying the server's Retry-After), 404 -> ``BookNotFound``, any other 4xx or a body that is not
JSON -> ``UpstreamError`` (not retried).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import httpx
import msgspec

from adapters.resilience import RetryAfter, call_with_retries, parse_retry_after
from domain.errors import BookNotFound, TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping
    from typing import TypeAlias

    from adapters.resilience import RetryPolicy

    Sleep: TypeAlias = Callable[[float], Awaitable[None]]

_json = msgspec.json.Decoder()


def make_http_client(timeout_s: float, user_agent: str) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that follows redirects, bounds every call and names the app.

    The caller owns it: close it with ``await client.aclose()`` at shutdown.
    """
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=True,
        headers={"User-Agent": user_agent, "Accept": "application/json"},
    )


async def _get_json_once(
    client: httpx.AsyncClient, url: str, params: Mapping[str, str] | None, what: str
) -> Any:
    try:
        response = await client.get(url, params=params, follow_redirects=True)
    except httpx.TimeoutException as exc:
        raise TransientUpstreamError(f"{what}: timed out") from exc
    except httpx.TransportError as exc:
        raise TransientUpstreamError(f"{what}: {type(exc).__name__}: {exc}") from exc
    status = response.status_code
    if status == 404:
        raise BookNotFound(f"{what}: not found")
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        raise RetryAfter(f"{what}: HTTP {status}", retry_after_s=retry_after)
    if status >= 500:
        raise TransientUpstreamError(f"{what}: HTTP {status}")
    if status >= 400:
        raise UpstreamError(f"{what}: HTTP {status}")
    try:
        return _json.decode(response.content)
    except msgspec.DecodeError as exc:
        raise UpstreamError(f"{what}: the answer is not JSON") from exc


async def get_json(
    client: httpx.AsyncClient,
    url: str,
    *,
    policy: RetryPolicy,
    what: str,
    params: Mapping[str, str] | None = None,
    sleep: Sleep = asyncio.sleep,
) -> Any:
    """GET ``url`` and decode its JSON body, under ``policy``'s timeout and retries.

    Raises:
        BookNotFound: HTTP 404.
        TransientUpstreamError: still timing out, rate-limited or failing 5xx after the retries.
        UpstreamError: another 4xx, or a body that is not JSON.
    """
    return await call_with_retries(
        policy, lambda: _get_json_once(client, url, params, what), what=what, sleep=sleep
    )
