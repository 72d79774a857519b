"""LocalUploadStore: uploaded book files on the local disk, written as they stream in."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.storage.keys import validate_key
from domain.errors import FileTooLarge, UploadNotFound, ValidationFailed

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, AsyncIterator

__all__ = ["LocalUploadStore"]


class LocalUploadStore:
    """UploadStore in files under ``root``.

    ``write`` appends each chunk to a temporary file in the target directory as it arrives
    (memory stays at one chunk), then renames it into place; over ``max_bytes`` the
    temporary file is removed and FileTooLarge raised. ``local_file`` is the file itself.
    """

    def __init__(self, root: Path = Path("data/uploads")) -> None:
        self._root = Path(root)

    def _path(self, key: str) -> Path:
        path = self._root.joinpath(*validate_key(key).split("/"))
        if not path.resolve().is_relative_to(self._root.resolve()):
            raise ValidationFailed(f"Storage key {key!r} leads outside the storage root.")
        return path

    async def write(self, key: str, chunks: AsyncIterable[bytes], max_bytes: int) -> int:
        path = self._path(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        fd, tmp = await asyncio.to_thread(
            tempfile.mkstemp, prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
        size = 0
        try:
            with os.fdopen(fd, "wb") as file:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(f"the file is larger than {max_bytes} bytes")
                    await asyncio.to_thread(file.write, chunk)
                await asyncio.to_thread(file.flush)
            await asyncio.to_thread(os.replace, tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return size

    @contextlib.asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path]:
        path = self._path(key)
        if not await asyncio.to_thread(path.is_file):
            raise UploadNotFound(f"nothing is stored under {key!r}")
        yield path

    async def head(self, key: str, size: int) -> bytes:
        return await asyncio.to_thread(self._read, key, size)

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._read, key, -1)

    def _read(self, key: str, size: int) -> bytes:
        try:
            with self._path(key).open("rb") as file:
                return file.read(size)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise UploadNotFound(f"nothing is stored under {key!r}") from None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, key)

    def _delete(self, key: str) -> None:
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the upload's folder, once empty
