"""S3UploadStore: uploaded book files in an S3 bucket, so every API and worker machine
sees the same files."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from adapters.storage.keys import CHUNK_SIZE, validate_key
from adapters.storage.s3_bucket import READ_ERRORS, RangeNotSatisfiable, S3Bucket
from domain.errors import DomainError, FileTooLarge, UploadNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Awaitable, Callable
    from types import TracebackType
    from typing import Self

    import aioboto3

    from adapters.resilience import RetryPolicy

__all__ = ["MIN_PART_SIZE", "S3UploadStore"]

log = structlog.get_logger(__name__)

MIN_PART_SIZE = 5 * 1024 * 1024  # S3's least size for a multipart part but the last
MAX_PARTS = 10_000  # S3's most parts in one multipart upload


def _upload_not_found(key: str) -> UploadNotFound:
    return UploadNotFound(f"nothing is stored under {key!r}")


class S3UploadStore:
    """UploadStore in ``bucket``. Upload keys begin with ``uploads/`` and audio keys with
    ``books/``, so uploads and audio can share one bucket.

    ``write`` keeps at most one part in memory: a file smaller than ``part_size`` is one
    PUT; a larger one a multipart upload of ``part_size`` parts (more when ``max_bytes``
    would need over 10 000), completed only once the whole file is in, so a failed or
    refused write leaves the previous object, if any, as it was. Every failure aborts the
    multipart upload (a bucket lifecycle rule aborting incomplete uploads is the safety
    net for a process killed mid-write). ``local_file`` streams the object to a
    temporary file (in ``TMPDIR``) removed on exit. Clients, retries and error mapping
    are ``S3Bucket``'s: S3 and network failures are TransientUpstreamError (503) or
    UpstreamError (502).
    """

    def __init__(
        self,
        bucket: str,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        session: aioboto3.Session | None = None,
        policy: RetryPolicy | None = None,
        part_size: int = 8 * 1024 * 1024,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        self._bucket = S3Bucket(
            bucket,
            not_found=_upload_not_found,
            region=region,
            endpoint_url=endpoint_url,
            session=session,
            policy=policy,
        )
        self._part_size = part_size

    async def aclose(self) -> None:
        """Close the client (a later call opens a new one)."""
        await self._bucket.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _request(self, what: str, key: str, operation: str, **params: Any) -> Any:
        """One S3 request ``operation`` on ``key``'s object, under the retry policy."""
        request = {"Bucket": self._bucket.name, "Key": validate_key(key), **params}
        return await self._bucket.call(what, key, lambda s3: getattr(s3, operation)(**request))

    async def write(self, key: str, chunks: AsyncIterable[bytes], max_bytes: int) -> int:
        validate_key(key)
        part_size = max(self._part_size, math.ceil(max_bytes / MAX_PARTS))
        multipart = _Multipart(self._request, key)
        buffer = bytearray()
        size = 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(f"the file is larger than {max_bytes} bytes")
                buffer += chunk
                if len(buffer) >= part_size:
                    await multipart.send(bytes(buffer))
                    buffer.clear()
            if multipart.started:
                if buffer:
                    await multipart.send(bytes(buffer))
                await multipart.complete()
            else:
                await self._request("put", key, "put_object", Body=bytes(buffer))
        except BaseException:
            await multipart.abort()
            raise
        return size

    @contextlib.asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path]:
        fd, name = await asyncio.to_thread(tempfile.mkstemp, prefix="bookbytes-upload-")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as file:
                response = await self._request("get", key, "get_object")
                async with contextlib.aclosing(self._body(response, key)) as body:
                    async for chunk in body:
                        await asyncio.to_thread(file.write, chunk)
            yield path
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)

    async def head(self, key: str, size: int) -> bytes:
        try:
            response = await self._request(
                "head", key, "get_object", Range=f"bytes=0-{max(size, 1) - 1}"
            )
        except RangeNotSatisfiable:  # the object is empty
            return b""
        return b"".join([chunk async for chunk in self._body(response, key)])[:size]

    async def read(self, key: str) -> bytes:
        response = await self._request("get", key, "get_object")
        return b"".join([chunk async for chunk in self._body(response, key)])

    async def delete(self, key: str) -> None:
        await self._request("delete", key, "delete_object")

    async def _body(self, response: Any, key: str) -> AsyncGenerator[bytes]:
        """A GET response's body, chunk by chunk; read failures are domain errors."""
        body = response["Body"]
        async with body:
            try:
                async for chunk in body.iter_chunks(CHUNK_SIZE):
                    yield chunk
            except READ_ERRORS as exc:
                raise self._bucket.error(exc, "read", key) from exc


class _Multipart:
    """One multipart upload of ``key``, begun by the first part sent."""

    def __init__(self, request: Callable[..., Awaitable[Any]], key: str) -> None:
        self._request = request
        self._key = key
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    @property
    def started(self) -> bool:
        return self._upload_id is not None

    async def send(self, data: bytes) -> None:
        if self._upload_id is None:
            created = await self._request("begin", self._key, "create_multipart_upload")
            self._upload_id = str(created["UploadId"])
        number = len(self._parts) + 1
        sent = await self._request(
            "part", self._key, "upload_part", UploadId=self._upload_id, PartNumber=number, Body=data
        )
        self._parts.append({"PartNumber": number, "ETag": sent["ETag"]})

    async def complete(self) -> None:
        await self._request(
            "complete",
            self._key,
            "complete_multipart_upload",
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    async def abort(self) -> None:
        """Drop the parts sent (a cancelled caller does not interrupt this)."""
        if self._upload_id is None:
            return
        request = self._request(
            "abort", self._key, "abort_multipart_upload", UploadId=self._upload_id
        )
        try:
            await asyncio.shield(request)
        except DomainError as exc:
            log.warning("multipart upload left behind", key=self._key, error=str(exc))
