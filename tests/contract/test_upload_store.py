"""UploadStore contract: the memory store, the local-disk store and the S3 store (moto's
server over real HTTP) pass it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aioboto3
import boto3
import pytest

from adapters.memory.uploads import MemoryUploadStore
from adapters.resilience import RetryPolicy
from adapters.storage.s3_uploads import S3UploadStore
from adapters.storage.uploads import LocalUploadStore
from domain.errors import FileTooLarge, UploadNotFound, ValidationFailed
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from application.uploads.ports import UploadStore

KEY = "uploads/abc/original"
BUCKET = "contract-uploads"


@pytest.fixture(params=["memory", "local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UploadStore]:
    """Each UploadStore adapter, empty."""
    if request.param == "memory":
        yield MemoryUploadStore()
    elif request.param == "local":
        yield LocalUploadStore(tmp_path / "uploads")
    else:
        endpoint = create_bucket(request.getfixturevalue("moto_server"), BUCKET)
        s3 = S3UploadStore(
            BUCKET,
            region="us-east-1",
            endpoint_url=endpoint,
            session=aioboto3.Session(**CREDENTIALS),
            policy=RetryPolicy(retries=1, timeout_s=10, base_delay_s=0.01),
        )
        try:
            yield s3
        finally:
            await s3.aclose()
            client = boto3.client(
                "s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS
            )
            for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
                client.delete_object(Bucket=BUCKET, Key=item["Key"])


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_write_then_read_head_and_local_file(store: UploadStore) -> None:
    size = await store.write(KEY, chunks(b"%PDF-1.7\n", b"x" * 100_000, b"end"), 1_000_000)
    assert size == 9 + 100_000 + 3
    assert await store.head(KEY, 5) == b"%PDF-"
    data = await store.read(KEY)
    assert data.endswith(b"xend") and len(data) == size
    async with store.local_file(KEY) as path:
        assert path.read_bytes() == data


async def test_over_the_limit_is_refused_and_nothing_is_stored(store: UploadStore) -> None:
    with pytest.raises(FileTooLarge):
        await store.write(KEY, chunks(b"a" * 600, b"b" * 600), 1000)
    with pytest.raises(UploadNotFound):
        await store.head(KEY, 10)
    with pytest.raises(UploadNotFound):
        async with store.local_file(KEY):
            pass


async def test_exactly_the_limit_is_accepted(store: UploadStore) -> None:
    assert await store.write(KEY, chunks(b"a" * 1000), 1000) == 1000


async def test_a_refused_rewrite_keeps_nothing_half_written(store: UploadStore) -> None:
    await store.write(KEY, chunks(b"old"), 1000)
    with pytest.raises(FileTooLarge):
        await store.write(KEY, chunks(b"n" * 2000), 1000)
    assert await store.read(KEY) == b"old"


async def test_delete_is_idempotent(store: UploadStore) -> None:
    await store.write(KEY, chunks(b"data"), 1000)
    await store.delete(KEY)
    await store.delete(KEY)
    with pytest.raises(UploadNotFound):
        await store.read(KEY)


async def test_unsafe_keys_are_refused(store: UploadStore) -> None:
    with pytest.raises(ValidationFailed):
        await store.write("../outside", chunks(b"x"), 1000)


async def test_missing_keys_are_not_found(store: UploadStore) -> None:
    with pytest.raises(UploadNotFound):
        await store.read("uploads/missing/original")
    with pytest.raises(UploadNotFound):
        await store.head("uploads/missing/original", 4)


async def test_head_of_an_object_shorter_than_asked_is_the_whole_object(
    store: UploadStore,
) -> None:
    await store.write(KEY, chunks(b"tiny"), 1000)
    assert await store.head(KEY, 64) == b"tiny"


async def test_an_empty_file_is_stored_empty(store: UploadStore) -> None:
    assert await store.write(KEY, chunks(), 1000) == 0
    assert await store.head(KEY, 8) == b""
    assert await store.read(KEY) == b""
