"""Audio storage in an S3 bucket (AWS, or MinIO and friends via ``endpoint_url``), on aioboto3."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    ResponseStreamingError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from adapters.resilience import RetryAfter, RetryPolicy, call_with_retries, parse_retry_after
from adapters.storage.keys import CHUNK_SIZE, validate_key, validate_range
from domain.errors import AudioNotFound, TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path
    from types import TracebackType
    from typing import Self, TypeVar

    T = TypeVar("T")

__all__ = ["S3AudioStorage"]

_MISSING = {"NoSuchKey", "404", "NotFound"}
_THROTTLED = {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "503"}


class S3AudioStorage:
    """AudioStorage in ``bucket``; ``url`` is a pre-signed GET URL valid ``url_ttl_s`` seconds.

    One client is opened on first use and kept until ``aclose`` (or ``async with``), on the
    event loop that first used it. Each call runs under ``policy`` (timeout, retries of
    transient failures); botocore's own retries are off so the two do not multiply.
    Credentials come from ``session`` (default: the usual AWS chain). Pre-signed URLs name
    ``public_endpoint_url`` when it is set (the address clients reach, e.g. MinIO's published
    port, when the service reaches it by another name); everything else uses ``endpoint_url``.
    """

    def __init__(
        self,
        bucket: str,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        public_endpoint_url: str | None = None,
        session: aioboto3.Session | None = None,
        url_ttl_s: int = 3600,
        policy: RetryPolicy | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._endpoint_url = endpoint_url
        self._public_endpoint_url = public_endpoint_url
        self._session = session
        self._url_ttl_s = url_ttl_s
        self._policy = policy or RetryPolicy()
        self._chunk_size = chunk_size
        self._client: Any = None
        self._presigner: Any = None
        self._stack = contextlib.AsyncExitStack()
        self._lock = asyncio.Lock()

    async def _s3(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await self._open(self._endpoint_url)
        return self._client

    async def _presigning_s3(self) -> Any:
        """The client whose endpoint pre-signed URLs name (signing needs no request)."""
        if self._public_endpoint_url is None:
            return await self._s3()
        if self._presigner is None:
            async with self._lock:
                if self._presigner is None:
                    self._presigner = await self._open(self._public_endpoint_url)
        return self._presigner

    async def _open(self, endpoint_url: str | None) -> Any:
        timeout = self._policy.timeout_s
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
            self._client = self._presigner = None
            await self._stack.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(
        self, what: str, key: str, call: Callable[[Any], Awaitable[T]], client: Any = None
    ) -> T:
        """Run one S3 request under the policy, mapping botocore errors to domain errors."""
        s3 = client or await self._s3()

        async def attempt() -> T:
            try:
                return await call(s3)
            except (BotoCoreError, ClientError) as exc:
                raise _domain_error(exc, what, key) from exc

        return await call_with_retries(self._policy, attempt, what=f"S3 {what}")

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None:
        """Store ``data`` under ``key``, replacing what was there."""
        validate_key(key)
        await self._call(
            "put",
            key,
            lambda s3: s3.put_object(
                Bucket=self._bucket, Key=key, Body=bytes(data), ContentType=content_type
            ),
        )

    async def put_file(self, key: str, path: Path, content_type: str = "audio/mpeg") -> None:
        """Upload the file at ``path`` under ``key`` (a managed, multipart upload)."""
        validate_key(key)
        await self._call(
            "put",
            key,
            lambda s3: s3.upload_file(
                str(path), self._bucket, key, ExtraArgs={"ContentType": content_type}
            ),
        )

    async def size(self, key: str) -> int:
        """Size in bytes (a HEAD request). Raises AudioNotFound."""
        validate_key(key)
        head = await self._call(
            "head", key, lambda s3: s3.head_object(Bucket=self._bucket, Key=key)
        )
        return int(head["ContentLength"])

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""
        try:
            await self.size(key)
        except AudioNotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing key does nothing."""
        validate_key(key)
        await self._call("delete", key, lambda s3: s3.delete_object(Bucket=self._bucket, Key=key))

    async def url(self, key: str) -> str | None:
        """A pre-signed GET URL on the public endpoint (the object's existence is not checked)."""
        validate_key(key)
        url: str = await self._call(
            "presign",
            key,
            lambda s3: s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=self._url_ttl_s,
            ),
            client=await self._presigning_s3(),
        )
        return url

    async def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive) with a ranged GET, chunk by chunk.

        Raises AudioNotFound (on the first iteration); a range past the end yields nothing.
        """
        validate_key(key)
        validate_range(start, end)
        extra = {}
        if start or end is not None:
            extra["Range"] = f"bytes={start}-{'' if end is None else end}"
        try:
            response = await self._call(
                "get",
                key,
                lambda s3: s3.get_object(Bucket=self._bucket, Key=key, **extra),
            )
        except _RangeNotSatisfiable:
            return
        body = response["Body"]
        async with body:  # releases the connection even if the consumer stops early
            try:
                async for chunk in body.iter_chunks(self._chunk_size):
                    yield chunk
            except (BotoCoreError, ClientError) as exc:
                raise _domain_error(exc, "read", key) from exc


class _RangeNotSatisfiable(UpstreamError):
    """S3 answered 416: the range starts past the end of the object."""


def _domain_error(exc: Exception, what: str, key: str) -> Exception:
    """The domain error for a botocore failure of request ``what`` on ``key``."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        meta = exc.response.get("ResponseMetadata", {})
        status = int(meta.get("HTTPStatusCode") or 0)
        if code in _MISSING or status == 404:
            return AudioNotFound(f"No audio stored under {key!r}.")
        if code == "InvalidRange" or status == 416:
            return _RangeNotSatisfiable(f"S3 {what} {key!r}: range not satisfiable")
        if code in _THROTTLED or status == 429 or status >= 500:
            seconds = parse_retry_after(meta.get("HTTPHeaders", {}).get("retry-after"))
            return RetryAfter(f"S3 {what} {key!r} failed: {code or status}", retry_after_s=seconds)
        return UpstreamError(f"S3 {what} {key!r} failed: {code or status}")
    if isinstance(exc, BotoConnectionError | HTTPClientError | ResponseStreamingError):
        return TransientUpstreamError(f"S3 {what} {key!r} failed: {exc}")
    return UpstreamError(f"S3 {what} {key!r} failed: {exc}")
