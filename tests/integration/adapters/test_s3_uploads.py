"""S3UploadStore beyond the contract: multipart uploads, aborts, temporary files, failures."""

from __future__ import annotations

import hashlib
import socket
from typing import TYPE_CHECKING, Any

import aioboto3
import boto3
import pytest

from adapters.resilience import RetryPolicy
from adapters.storage.s3_uploads import MIN_PART_SIZE, S3UploadStore
from domain.errors import FileTooLarge, TransientUpstreamError, UpstreamError
from tests.support.fake_http import FakeHttpServer, Reply
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

BUCKET = "integration-uploads"
KEY = "uploads/big/original"
FAST = RetryPolicy(retries=2, timeout_s=10, base_delay_s=0.01, max_delay_s=0.05)
SESSION = aioboto3.Session(**CREDENTIALS)  # shared, so botocore loads the S3 model once
CHUNK = 1_000_003  # not a divisor of the part size, so parts and chunks never line up
DATA = bytes(range(256)) * (12 * 4096)  # 12 MiB: three 5 MiB parts, the last one 2 MiB


def make_store(endpoint: str, policy: RetryPolicy = FAST) -> S3UploadStore:
    return S3UploadStore(
        BUCKET,
        region="us-east-1",
        endpoint_url=endpoint,
        session=SESSION,
        policy=policy,
        part_size=MIN_PART_SIZE,
    )


@pytest.fixture(scope="module")
def s3(moto_server: str) -> Any:
    """A boto3 client on the local S3, this module's bucket created."""
    create_bucket(moto_server, BUCKET)
    return boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1", **CREDENTIALS)


@pytest.fixture
async def store(moto_server: str, s3: Any) -> AsyncIterator[S3UploadStore]:
    async with make_store(moto_server) as store:
        yield store
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])


def pending_uploads(s3: Any) -> list[dict[str, Any]]:
    uploads: list[dict[str, Any]] = s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    return uploads


def stored_bytes(s3: Any) -> int:
    """How many bytes the parts of the pending multipart upload hold (0 before it begins)."""
    total = 0
    for upload in pending_uploads(s3):
        parts = s3.list_parts(Bucket=BUCKET, Key=upload["Key"], UploadId=upload["UploadId"])
        total += sum(part["Size"] for part in parts.get("Parts", []))
    return total


async def pieces(data: bytes, s3: Any | None = None) -> AsyncIterator[bytes]:
    """``data`` in CHUNK-sized pieces; with ``s3``, checks before each piece that the store
    holds back less than one part of what it has read."""
    for start in range(0, len(data), CHUNK):
        if s3 is not None:
            assert start - stored_bytes(s3) < MIN_PART_SIZE
        yield data[start : start + CHUNK]


async def test_a_big_file_goes_up_in_parts_never_more_than_one_in_memory(
    store: S3UploadStore, s3: Any
) -> None:
    assert await store.write(KEY, pieces(DATA, s3), len(DATA)) == len(DATA)

    etag = s3.head_object(Bucket=BUCKET, Key=KEY)["ETag"]
    assert etag.endswith('-3"')  # a multipart object of three parts
    assert await store.read(KEY) == DATA
    assert pending_uploads(s3) == []


async def test_the_local_copy_is_the_object_and_is_removed_after(store: S3UploadStore) -> None:
    await store.write(KEY, pieces(DATA), len(DATA))

    async with store.local_file(KEY) as path:
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(DATA).digest()
    assert not path.exists()


async def test_the_local_copy_is_removed_when_the_reader_fails(store: S3UploadStore) -> None:
    await store.write(KEY, pieces(b"some text"), 100)

    with pytest.raises(RuntimeError):
        async with store.local_file(KEY) as path:
            raise RuntimeError("the reader crashed")
    assert not path.exists()


async def test_over_the_limit_aborts_the_multipart_upload(store: S3UploadStore, s3: Any) -> None:
    limit = 7 * 1024 * 1024  # one part is sent before the limit is reached

    with pytest.raises(FileTooLarge):
        await store.write(KEY, pieces(DATA), limit)

    assert pending_uploads(s3) == []
    assert s3.list_objects_v2(Bucket=BUCKET, Prefix=KEY).get("KeyCount") == 0


async def test_a_failed_multipart_rewrite_keeps_the_old_object(
    store: S3UploadStore, s3: Any
) -> None:
    await store.write(KEY, pieces(b"old"), 100)

    async def broken() -> AsyncIterator[bytes]:
        async for piece in pieces(DATA[: 8 * CHUNK]):
            yield piece
        raise ConnectionResetError("the client went away")

    with pytest.raises(ConnectionResetError):
        await store.write(KEY, broken(), len(DATA))

    assert await store.read(KEY) == b"old"
    assert pending_uploads(s3) == []


async def test_parts_grow_so_the_largest_allowed_file_fits_in_10000(
    store: S3UploadStore, s3: Any
) -> None:
    data = DATA[: 11 * 1024 * 1024]
    limit = 10_000 * 6 * 1024 * 1024  # needs 6 MiB parts: 11 MiB is two parts, not three

    await store.write(KEY, pieces(data), limit)

    assert s3.head_object(Bucket=BUCKET, Key=KEY)["ETag"].endswith('-2"')


@pytest.fixture(scope="module")
def fake_s3() -> Iterator[FakeHttpServer]:
    """A scripted S3 endpoint for the module; each test scripts its own key."""
    with FakeHttpServer() as server:
        yield server


def initiated(key: str) -> Reply:
    xml = (
        f"<InitiateMultipartUploadResult><Bucket>{BUCKET}</Bucket><Key>{key}</Key>"
        "<UploadId>up-1</UploadId></InitiateMultipartUploadResult>"
    )
    return Reply(200, xml.encode(), {"Content-Type": "application/xml"})


async def test_a_part_that_keeps_failing_is_transient_and_aborts(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/uploads/flaky/original"
    fake_s3.route("POST", path, initiated("uploads/flaky/original"))
    fake_s3.route("PUT", path, Reply(500))
    fake_s3.route("DELETE", path, Reply(204))
    async with make_store(fake_s3.url) as store:
        with pytest.raises(TransientUpstreamError):
            await store.write("uploads/flaky/original", pieces(DATA), len(DATA))

    assert len(fake_s3.requests_to(path, "PUT")) == FAST.retries + 1
    aborts = fake_s3.requests_to(path, "DELETE")
    assert [a.param("uploadId") for a in aborts] == ["up-1"]


async def test_access_denied_is_an_upstream_error_not_retried(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/uploads/denied/original"
    denied = b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
    fake_s3.route("PUT", path, Reply(403, denied))
    async with make_store(fake_s3.url) as store:
        with pytest.raises(UpstreamError) as caught:
            await store.write("uploads/denied/original", pieces(b"abc"), 100)

    assert not isinstance(caught.value, TransientUpstreamError)
    assert len(fake_s3.requests_to(path)) == 1


async def test_an_unreachable_endpoint_is_transient() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with make_store(f"http://127.0.0.1:{port}") as store:
        with pytest.raises(TransientUpstreamError):
            await store.write(KEY, pieces(b"abc"), 100)
        with pytest.raises(TransientUpstreamError):
            async with store.local_file(KEY):
                pass
