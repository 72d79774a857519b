"""Audio storage in an S3 bucket (AWS, or MinIO and friends via ``endpoint_url``), on aioboto3."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.storage.keys import CHUNK_SIZE, validate_key, validate_range
from adapters.storage.s3_bucket import READ_ERRORS, RangeNotSatisfiable, S3Bucket
from domain.errors import AudioNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path
    from types import TracebackType
    from typing import Self

    import aioboto3

    from adapters.resilience import RetryPolicy

__all__ = ["S3AudioStorage"]


def _audio_not_found(key: str) -> AudioNotFound:
    return AudioNotFound(f"No audio stored under {key!r}.")


class S3AudioStorage:
    """AudioStorage in ``bucket``; ``url`` is a pre-signed GET URL valid ``url_ttl_s`` seconds.

    Clients, retries and error mapping are ``S3Bucket``'s. Pre-signed URLs name
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
        self._bucket = S3Bucket(
            bucket,
            not_found=_audio_not_found,
            region=region,
            endpoint_url=endpoint_url,
            session=session,
            policy=policy,
        )
        self._public_endpoint_url = public_endpoint_url
        self._url_ttl_s = url_ttl_s
        self._chunk_size = chunk_size

    async def aclose(self) -> None:
        """Close the clients (a later call opens new ones)."""
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

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None:
        """Store ``data`` under ``key``, replacing what was there."""
        validate_key(key)
        await self._bucket.call(
            "put",
            key,
            lambda s3: s3.put_object(
                Bucket=self._bucket.name, Key=key, Body=bytes(data), ContentType=content_type
            ),
        )

    async def put_file(self, key: str, path: Path, content_type: str = "audio/mpeg") -> None:
        """Upload the file at ``path`` under ``key`` (a managed, multipart upload)."""
        validate_key(key)
        await self._bucket.call(
            "put",
            key,
            lambda s3: s3.upload_file(
                str(path), self._bucket.name, key, ExtraArgs={"ContentType": content_type}
            ),
        )

    async def size(self, key: str) -> int:
        """Size in bytes (a HEAD request). Raises AudioNotFound."""
        validate_key(key)
        head = await self._bucket.call(
            "head", key, lambda s3: s3.head_object(Bucket=self._bucket.name, Key=key)
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
        await self._bucket.call(
            "delete", key, lambda s3: s3.delete_object(Bucket=self._bucket.name, Key=key)
        )

    async def url(self, key: str) -> str | None:
        """A pre-signed GET URL on the public endpoint (the object's existence is not checked)."""
        validate_key(key)
        url: str = await self._bucket.call(
            "presign",
            key,
            lambda s3: s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket.name, "Key": key},
                ExpiresIn=self._url_ttl_s,
            ),
            client=await self._bucket.client(self._public_endpoint_url),
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
            response = await self._bucket.call(
                "get",
                key,
                lambda s3: s3.get_object(Bucket=self._bucket.name, Key=key, **extra),
            )
        except RangeNotSatisfiable:
            return
        body = response["Body"]
        async with body:  # releases the connection even if the consumer stops early
            try:
                async for chunk in body.iter_chunks(self._chunk_size):
                    yield chunk
            except READ_ERRORS as exc:
                raise self._bucket.error(exc, "read", key) from exc
