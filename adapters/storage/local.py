"""Audio storage on the local disk, under one root directory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from adapters.storage.keys import CHUNK_SIZE, validate_key, validate_range
from domain.errors import AudioNotFound, ValidationFailed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["LocalAudioStorage"]


class LocalAudioStorage:
    """AudioStorage in files under ``root`` (created on the first write).

    Keys map to paths below the root and can never leave it: unsafe keys, and keys that
    reach through a symlink to outside the root, raise ValidationFailed. Writes are atomic
    (a temporary file in the same directory, then ``os.replace``); all file I/O runs in
    worker threads. ``url`` is None: the API streams the bytes itself.
    """

    def __init__(self, root: Path = Path("data/audio"), chunk_size: int = CHUNK_SIZE) -> None:
        self._root = Path(root)
        self._chunk_size = chunk_size

    @property
    def root(self) -> Path:
        """The directory the audio lives in."""
        return self._root

    def _path(self, key: str) -> Path:
        """The file for ``key``, checked to resolve inside the root (symlinks followed)."""
        path = self._root.joinpath(*validate_key(key).split("/"))
        root = self._root.resolve()
        if not path.resolve().is_relative_to(root):
            raise ValidationFailed(f"Storage key {key!r} leads outside the storage root.")
        return path

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None:
        """Write ``data`` under ``key`` atomically, replacing what was there."""
        await asyncio.to_thread(self._write, key, bytes(data))

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path(key)  # the directories just made must not lead out of the root either
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    async def put_file(self, key: str, path: Path, content_type: str = "audio/mpeg") -> None:
        """Copy the file at ``path`` under ``key`` atomically, in chunks."""
        await asyncio.to_thread(self._copy, key, Path(path))

    def _copy(self, key: str, source: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._path(key)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as file, source.open("rb") as data:
                shutil.copyfileobj(data, file, self._chunk_size)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    async def size(self, key: str) -> int:
        """Size in bytes. Raises AudioNotFound."""
        return await asyncio.to_thread(self._size, key)

    def _size(self, key: str) -> int:
        path = self._path(key)
        try:
            if not path.is_file():
                raise FileNotFoundError(path)
            return path.stat().st_size
        except FileNotFoundError:
            raise AudioNotFound(f"No audio stored under {key!r}.") from None

    async def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive) in chunks. Raises AudioNotFound."""
        validate_range(start, end)
        file = await asyncio.to_thread(self._open, key, start)
        try:
            remaining = None if end is None else end - start + 1
            while remaining is None or remaining > 0:
                want = self._chunk_size if remaining is None else min(self._chunk_size, remaining)
                chunk = await asyncio.to_thread(file.read, want)
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk
        finally:
            file.close()  # closing a file opened for reading does not block

    def _open(self, key: str, start: int) -> IO[bytes]:
        path = self._path(key)
        try:
            file = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise AudioNotFound(f"No audio stored under {key!r}.") from None
        file.seek(start)
        return file

    async def url(self, key: str) -> str | None:
        """None: stream the audio through the API."""
        validate_key(key)
        return None

    async def delete(self, key: str) -> None:
        """Remove the file; removing a missing key does nothing."""
        await asyncio.to_thread(self._delete, key)

    def _delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            self._path(key).unlink()

    async def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""
        return await asyncio.to_thread(lambda: self._path(key).is_file())
