"""Audio storage in a dict: the in-memory AudioStorage."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.storage.keys import CHUNK_SIZE, validate_key, validate_range
from domain.errors import AudioNotFound

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["MemoryAudioStorage"]


class MemoryAudioStorage:
    """AudioStorage backed by a dict; keys are validated like on disk; ``url`` is None."""

    def __init__(self, chunk_size: int = CHUNK_SIZE) -> None:
        self.objects: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}
        self._chunk_size = chunk_size

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None:
        """Store ``data`` under ``key``, replacing what was there."""
        self.objects[validate_key(key)] = bytes(data)
        self.content_types[key] = content_type

    async def put_file(self, key: str, path: Path, content_type: str = "audio/mpeg") -> None:
        """Store the file's bytes under ``key``."""
        await self.put(key, await asyncio.to_thread(Path(path).read_bytes), content_type)

    async def size(self, key: str) -> int:
        """Size in bytes. Raises AudioNotFound."""
        return len(self._get(key))

    async def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive) in chunks. Raises AudioNotFound."""
        validate_range(start, end)
        data = self._get(key)
        stop = len(data) if end is None else min(end + 1, len(data))
        for offset in range(start, stop, self._chunk_size):
            yield data[offset : min(offset + self._chunk_size, stop)]

    async def url(self, key: str) -> str | None:
        """None: stream the audio through the API."""
        validate_key(key)
        return None

    async def delete(self, key: str) -> None:
        """Remove the key; removing a missing key does nothing."""
        self.objects.pop(validate_key(key), None)
        self.content_types.pop(key, None)

    async def exists(self, key: str) -> bool:
        """Whether something is stored under ``key``."""
        return validate_key(key) in self.objects

    def _get(self, key: str) -> bytes:
        try:
            return self.objects[validate_key(key)]
        except KeyError:
            raise AudioNotFound(f"No audio stored under {key!r}.") from None
