"""S3AudioStorage beyond the contract: pre-signed URLs, big objects, failures and retries."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import aioboto3
import httpx
import pytest

from adapters.resilience import RetryPolicy
from adapters.storage.keys import CHUNK_SIZE
from adapters.storage.s3 import S3AudioStorage
from domain.errors import TransientUpstreamError, UpstreamError
from tests.support.fake_http import FakeHttpServer, Reply
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

BUCKET = "integration-audio"
FAST = RetryPolicy(retries=2, timeout_s=5, base_delay_s=0.01, max_delay_s=0.05)
SLOW_DOWN = b"<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"


@pytest.fixture(scope="module")
def moto_endpoint(moto_server: str) -> str:
    """The local S3 with this suite's bucket created."""
    return create_bucket(moto_server, BUCKET)


SESSION = aioboto3.Session(**CREDENTIALS)  # shared, so botocore loads the S3 model once


def make_storage(
    endpoint: str,
    *,
    policy: RetryPolicy = FAST,
    url_ttl_s: int = 60,
    public_endpoint: str | None = None,
) -> S3AudioStorage:
    return S3AudioStorage(
        BUCKET,
        region="us-east-1",
        endpoint_url=endpoint,
        public_endpoint_url=public_endpoint,
        session=SESSION,
        policy=policy,
        url_ttl_s=url_ttl_s,
    )


@pytest.fixture
async def storage(moto_endpoint: str) -> AsyncIterator[S3AudioStorage]:
    async with make_storage(moto_endpoint, url_ttl_s=60) as s3:
        yield s3


async def test_presigned_url_serves_the_bytes(storage: S3AudioStorage) -> None:
    await storage.put("books/1/1.mp3", b"ID3 pretend audio")

    url = await storage.url("books/1/1.mp3")

    assert url is not None
    assert "X-Amz-Expires=60" in url
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.content == b"ID3 pretend audio"


async def test_presigned_urls_name_the_public_endpoint_and_only_they(moto_endpoint: str) -> None:
    unreachable = "http://127.0.0.1:1"  # nothing listens: every request must go elsewhere
    async with make_storage(moto_endpoint, public_endpoint=unreachable) as s3:
        await s3.put("books/2/1.mp3", b"ID3 public")
        assert await s3.size("books/2/1.mp3") == len(b"ID3 public")

        url = await s3.url("books/2/1.mp3")

    assert url is not None
    assert url.startswith(f"{unreachable}/{BUCKET}/books/2/1.mp3?")
    assert "X-Amz-Signature=" in url


async def test_a_presigned_url_on_the_public_endpoint_serves_the_bytes(moto_endpoint: str) -> None:
    public = moto_endpoint.replace("127.0.0.1", "localhost")  # the same server, another name
    async with make_storage(moto_endpoint, public_endpoint=public) as s3:
        await s3.put("books/3/1.mp3", b"ID3 from the host")
        url = await s3.url("books/3/1.mp3")

    assert url is not None and url.startswith(f"{public}/")
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200
    assert response.content == b"ID3 from the host"


async def test_a_5_mb_object_streams_in_bounded_chunks(storage: S3AudioStorage) -> None:
    data = bytes(range(256)) * (5 * 1024 * 4)  # 5 MiB

    await storage.put("big.mp3", data)

    sizes = []
    received = bytearray()
    async for chunk in storage.open("big.mp3"):
        sizes.append(len(chunk))
        received += chunk
    assert len(sizes) > 10
    assert max(sizes) <= CHUNK_SIZE
    assert bytes(received) == data
    assert await storage.size("big.mp3") == len(data)


@pytest.fixture(scope="module")
def fake_s3() -> Iterator[FakeHttpServer]:
    """A scripted S3 endpoint for the module; each test scripts its own key."""
    with FakeHttpServer() as server:
        yield server


async def test_ranged_get_sends_a_range_header(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/range.mp3"
    fake_s3.route("GET", path, Reply(206, b"bcd", {"Content-Range": "bytes 1-3/5"}))
    async with make_storage(fake_s3.url) as s3:
        chunks = [chunk async for chunk in s3.open("range.mp3", 1, 3)]

    assert b"".join(chunks) == b"bcd"
    assert fake_s3.requests_to(path)[0].headers["range"] == "bytes=1-3"


async def test_slow_down_is_retried_then_succeeds(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/slow-down.mp3"
    fake_s3.route("PUT", path, Reply(503, SLOW_DOWN), Reply(200))
    async with make_storage(fake_s3.url) as s3:
        await s3.put("slow-down.mp3", b"abc")

    assert len(fake_s3.requests_to(path, "PUT")) == 2


async def test_persistent_5xx_is_transient(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/broken.mp3"
    fake_s3.route("GET", path, Reply(500))
    async with make_storage(fake_s3.url) as s3:
        with pytest.raises(TransientUpstreamError):
            [chunk async for chunk in s3.open("broken.mp3")]

    assert len(fake_s3.requests_to(path)) == FAST.retries + 1


async def test_access_denied_is_not_retried(fake_s3: FakeHttpServer) -> None:
    path = f"/{BUCKET}/denied.mp3"
    denied = b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
    fake_s3.route("PUT", path, Reply(403, denied))
    async with make_storage(fake_s3.url) as s3:
        with pytest.raises(UpstreamError) as caught:
            await s3.put("denied.mp3", b"abc")

    assert not isinstance(caught.value, TransientUpstreamError)
    assert len(fake_s3.requests_to(path)) == 1


async def test_unreachable_endpoint_is_transient() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with make_storage(f"http://127.0.0.1:{port}") as s3:
        with pytest.raises(TransientUpstreamError):
            await s3.size("k.mp3")


async def test_a_slow_server_times_out_as_transient(fake_s3: FakeHttpServer) -> None:
    fake_s3.route("GET", f"/{BUCKET}/slow.mp3", Reply(200, b"late", delay_s=0.5))
    async with make_storage(fake_s3.url, policy=RetryPolicy(retries=0, timeout_s=0.1)) as s3:
        with pytest.raises(TransientUpstreamError):
            [chunk async for chunk in s3.open("slow.mp3")]
