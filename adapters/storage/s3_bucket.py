"""One S3 bucket reached through aioboto3: the client setup and error mapping that the
audio storage and the upload store share."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aioboto3
import aiohttp  # aiobotocore's HTTP client: a body cut short raises its errors
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    IncompleteReadError,
    ResponseStreamingError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from adapters.resilience import RetryAfter, RetryPolicy, call_with_retries, parse_retry_after
from domain.errors import TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import TypeVar

    from domain.errors import NotFound

    T = TypeVar("T")
    NotFoundError = Callable[[str], NotFound]

__all__ = ["READ_ERRORS", "RangeNotSatisfiable", "S3Bucket"]

# What reading a GET response's body may raise (``S3Bucket.error`` maps each).
READ_ERRORS = (BotoCoreError, ClientError, aiohttp.ClientError)

_MISSING = {"NoSuchKey", "404", "NotFound"}
_THROTTLED = {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "503"}


class RangeNotSatisfiable(UpstreamError):
    """S3 answered 416: the range starts past the end of the object."""


class S3Bucket:
    """``name`` on S3 (AWS, or MinIO and friends via ``endpoint_url``).

    A client per endpoint is opened on first use and kept until ``aclose``, on the event
    loop that first used it. ``call`` runs a request under ``policy`` (timeout, retries of
    transient failures; botocore's own retries are off so the two do not multiply) and
    turns botocore's errors into domain errors, ``not_found(key)`` for a missing key.
    Credentials come from ``session`` (default: the usual AWS chain).
    """

    def __init__(
        self,
        name: str,
        *,
        not_found: NotFoundError,
        region: str | None = None,
        endpoint_url: str | None = None,
        session: aioboto3.Session | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.name = name
        self.policy = policy or RetryPolicy()
        self._not_found = not_found
        self._region = region
        self._endpoint_url = endpoint_url
        self._session = session
        self._clients: dict[str | None, Any] = {}
        self._stack = contextlib.AsyncExitStack()
        self._lock = asyncio.Lock()

    async def client(self, endpoint_url: str | None = None) -> Any:
        """The client for ``endpoint_url`` (default: the bucket's endpoint)."""
        endpoint = endpoint_url or self._endpoint_url
        if endpoint not in self._clients:
            async with self._lock:
                if endpoint not in self._clients:
                    self._clients[endpoint] = await self._open(endpoint)
        return self._clients[endpoint]

    async def _open(self, endpoint_url: str | None) -> Any:
        timeout = self.policy.timeout_s
        config = Config(
            retries={"total_max_attempts": 1},
            connect_timeout=timeout,
            read_timeout=timeout,
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint_url else "auto"},
        )
        session = self._session or aioboto3.Session()
        return await self._stack.enter_async_context(
            session.client("s3", region_name=self._region, endpoint_url=endpoint_url, config=config)
        )

    async def aclose(self) -> None:
        """Close the clients (a later call opens new ones)."""
        async with self._lock:
            self._clients.clear()
            await self._stack.aclose()

    async def call(
        self, what: str, key: str, call: Callable[[Any], Awaitable[T]], client: Any = None
    ) -> T:
        """Run one S3 request under the policy, mapping botocore errors to domain errors."""
        s3 = client or await self.client()

        async def attempt() -> T:
            try:
                return await call(s3)
            except (BotoCoreError, ClientError) as exc:
                raise self.error(exc, what, key) from exc

        return await call_with_retries(self.policy, attempt, what=f"S3 {what}")

    def error(self, exc: Exception, what: str, key: str) -> Exception:
        """The domain error for a botocore failure of request ``what`` on ``key``."""
        return _s3_error(exc, what, key, self._not_found)


def _s3_error(exc: Exception, what: str, key: str, not_found: NotFoundError) -> Exception:
    """The domain error for a botocore failure of request ``what`` on ``key``: ``not_found(key)``
    for a missing key, transient (retried, HTTP 503) for throttling, 5xx and network
    failures, UpstreamError (HTTP 502) for the rest (access denied, no such bucket…)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        meta = exc.response.get("ResponseMetadata", {})
        status = int(meta.get("HTTPStatusCode") or 0)
        if code in _MISSING or status == 404:
            return not_found(key)
        if code == "InvalidRange" or status == 416:
            return RangeNotSatisfiable(f"S3 {what} {key!r}: range not satisfiable")
        if code in _THROTTLED or status == 429 or status >= 500:
            seconds = parse_retry_after(meta.get("HTTPHeaders", {}).get("retry-after"))
            return RetryAfter(f"S3 {what} {key!r} failed: {code or status}", retry_after_s=seconds)
        return UpstreamError(f"S3 {what} {key!r} failed: {code or status}")
    transient = (
        BotoConnectionError,
        HTTPClientError,
        ResponseStreamingError,
        IncompleteReadError,
        aiohttp.ClientError,
    )
    if isinstance(exc, transient):
        return TransientUpstreamError(f"S3 {what} {key!r} failed: {exc}")
    return UpstreamError(f"S3 {what} {key!r} failed: {exc}")
