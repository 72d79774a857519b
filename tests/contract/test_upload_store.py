"""UploadStore contract: the memory store and the local-disk store pass it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from adapters.memory.uploads import MemoryUploadStore
from adapters.storage.uploads import LocalUploadStore
from domain.errors import FileTooLarge, UploadNotFound, ValidationFailed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from application.uploads.ports import UploadStore

KEY = "uploads/abc/original"


@pytest.fixture(params=["memory", "local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> UploadStore:
    if request.param == "memory":
        return MemoryUploadStore()
    return LocalUploadStore(tmp_path / "uploads")


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
