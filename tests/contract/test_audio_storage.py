"""Contract suite for AudioStorage: memory, local disk and S3 (moto's server on 127.0.0.1)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import aioboto3
import boto3
import pytest

from adapters.memory.storage import MemoryAudioStorage
from adapters.resilience import RetryPolicy
from adapters.storage.keys import CHUNK_SIZE
from adapters.storage.local import LocalAudioStorage
from adapters.storage.s3 import S3AudioStorage
from domain.errors import AudioNotFound, ValidationFailed
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from application.books.ports import AudioStorage

BUCKET = "contract-audio"
UNSAFE_KEYS = ["../x", "/etc/passwd", "a/../../b", "a\\b", "", "a\x00b", "./a", "a//b", "a/.."]
DATA = bytes(range(256)) * 1000  # 256 000 bytes: four 64 KiB chunks


@pytest.fixture(scope="session")
def moto_endpoint(moto_server: str) -> str:
    """The local S3 with this suite's bucket created."""
    return create_bucket(moto_server, BUCKET)


@pytest.fixture(scope="session")
def s3_session() -> aioboto3.Session:
    """One session for the suite, so botocore loads the S3 model once."""
    return aioboto3.Session(**CREDENTIALS)


@pytest.fixture(params=["memory", "local", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AudioStorage]:
    """Each AudioStorage adapter, empty."""
    if request.param == "memory":
        yield MemoryAudioStorage()
    elif request.param == "local":
        yield LocalAudioStorage(tmp_path / "audio")
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        s3 = S3AudioStorage(
            BUCKET,
            region="us-east-1",
            endpoint_url=endpoint,
            session=request.getfixturevalue("s3_session"),
            policy=RetryPolicy(retries=1, timeout_s=10, base_delay_s=0.01),
        )
        async with s3:
            yield s3
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])


async def read(storage: AudioStorage, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in storage.open(key, start, end)])


async def test_put_then_size_exists_and_read_back(storage: AudioStorage) -> None:
    await storage.put("books/1/chapter-1.mp3", DATA)

    assert await storage.exists("books/1/chapter-1.mp3")
    assert await storage.size("books/1/chapter-1.mp3") == len(DATA)
    assert await read(storage, "books/1/chapter-1.mp3") == DATA


async def test_put_file_stores_a_file_streamed(storage: AudioStorage, tmp_path: Path) -> None:
    source = tmp_path / "book.m4b"
    source.write_bytes(DATA * 3)
    await storage.put_file("books/1/audiobook.m4b", source, "audio/mp4")
    assert await storage.size("books/1/audiobook.m4b") == 3 * len(DATA)
    stored = b"".join([c async for c in storage.open("books/1/audiobook.m4b")])
    assert stored == DATA * 3


async def test_put_replaces_and_delete_removes(storage: AudioStorage) -> None:
    await storage.put("a.mp3", b"old bytes")
    await storage.put("a.mp3", b"new")
    assert await read(storage, "a.mp3") == b"new"

    await storage.delete("a.mp3")

    assert not await storage.exists("a.mp3")
    await storage.delete("a.mp3")  # deleting again is not an error


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, None, DATA),
        (10, 19, DATA[10:20]),
        (100_000, None, DATA[100_000:]),
        (len(DATA) - 1, len(DATA) - 1, DATA[-1:]),
        (0, 0, DATA[:1]),
        (len(DATA) - 5, len(DATA) + 100, DATA[-5:]),
        (len(DATA), None, b""),
        (70_000, 200_000, DATA[70_000:200_001]),
    ],
    ids=[
        "all",
        "inclusive",
        "start-only",
        "last-byte",
        "first-byte",
        "end-clamped",
        "past-end",
        "across-chunks",
    ],
)
async def test_ranged_open(
    storage: AudioStorage, start: int, end: int | None, expected: bytes
) -> None:
    await storage.put("r.mp3", DATA)

    assert await read(storage, "r.mp3", start, end) == expected


async def test_open_streams_in_bounded_chunks(storage: AudioStorage) -> None:
    await storage.put("big.mp3", DATA)

    chunks = [chunk async for chunk in storage.open("big.mp3")]

    assert len(chunks) >= 4
    assert max(map(len, chunks)) <= CHUNK_SIZE
    assert b"".join(chunks) == DATA


@pytest.mark.parametrize(("start", "end"), [(-1, None), (5, 4)])
async def test_invalid_range_is_refused(storage: AudioStorage, start: int, end: int | None) -> None:
    await storage.put("r.mp3", DATA)

    with pytest.raises(ValidationFailed):
        await read(storage, "r.mp3", start, end)


async def test_missing_key(storage: AudioStorage) -> None:
    assert not await storage.exists("nope.mp3")
    with pytest.raises(AudioNotFound):
        await storage.size("nope.mp3")
    with pytest.raises(AudioNotFound):
        await read(storage, "nope.mp3")
    with pytest.raises(AudioNotFound):
        await read(storage, "nope.mp3", 5, 10)


@pytest.mark.parametrize("key", UNSAFE_KEYS, ids=repr)
async def test_unsafe_keys_are_refused_everywhere(storage: AudioStorage, key: str) -> None:
    with pytest.raises(ValidationFailed):
        await storage.put(key, b"x")
    with pytest.raises(ValidationFailed):
        await storage.size(key)
    with pytest.raises(ValidationFailed):
        await storage.exists(key)
    with pytest.raises(ValidationFailed):
        await storage.delete(key)
    with pytest.raises(ValidationFailed):
        await storage.url(key)
    with pytest.raises(ValidationFailed):
        await read(storage, key)


async def test_url_is_none_or_a_url(storage: AudioStorage) -> None:
    await storage.put("u.mp3", b"abc")

    url = await storage.url("u.mp3")

    assert url is None or url.startswith("http")


# --- local disk only ----------------------------------------------------------------------


async def test_local_refuses_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.mp3").write_bytes(b"secret")
    root = tmp_path / "audio"
    root.mkdir()
    (root / "books").symlink_to(outside, target_is_directory=True)
    storage = LocalAudioStorage(root)

    with pytest.raises(ValidationFailed):
        await read(storage, "books/secret.mp3")
    with pytest.raises(ValidationFailed):
        await storage.put("books/new.mp3", b"x")
    assert not (outside / "new.mp3").exists()


async def test_local_writes_atomically_and_leaves_no_temp_files(tmp_path: Path) -> None:
    storage = LocalAudioStorage(tmp_path / "audio")

    await storage.put("b/1/c.mp3", b"one")
    await storage.put("b/1/c.mp3", b"two")

    assert os.listdir(tmp_path / "audio" / "b" / "1") == ["c.mp3"]
    assert (tmp_path / "audio" / "b" / "1" / "c.mp3").read_bytes() == b"two"


def test_local_construction_does_no_io(tmp_path: Path) -> None:
    LocalAudioStorage(tmp_path / "not-yet")

    assert not (tmp_path / "not-yet").exists()
