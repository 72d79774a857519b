"""PooledAudiobookAssembler: chapter MP3s fetched from storage to a temporary folder,
the whole-book files encoded there in a child process, then stored streamed."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from adapters.audiobook.m4b import encode_m4b
from adapters.audiobook.mp3 import write_mp3_book
from domain.errors import UpstreamError, ValidationFailed

log = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from adapters.native.pool import ChildProcessPool
    from application.books.ports import AudioStorage
    from application.uploads.ports import AudiobookPart, AudiobookTags

ENCODERS = {"m4b": (encode_m4b, "audio/mp4"), "mp3": (write_mp3_book, "audio/mpeg")}
DEFAULT_TIMEOUT_S = 3600.0


class PooledAudiobookAssembler:
    """AudiobookAssembler: PyAV and mutagen run in ``pool``'s child processes."""

    def __init__(
        self,
        storage: AudioStorage,
        pool: ChildProcessPool,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        workdir: Path | None = None,
    ) -> None:
        self._storage = storage
        self._pool = pool
        self._timeout_s = timeout_s
        self._workdir = workdir

    async def assemble(
        self, parts: Sequence[AudiobookPart], tags: AudiobookTags, targets: Mapping[str, str]
    ) -> None:
        unknown = set(targets) - set(ENCODERS)
        if unknown:
            raise ValidationFailed(f"no encoder for {sorted(unknown)}")
        meta = {"title": tags.title, "album": tags.title, "artist": tags.author,
                "year": tags.year or ""}  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="bookbytes-audiobook-", dir=self._workdir) as tmp:
            folder = Path(tmp)
            chapters: list[tuple[str, str]] = []
            for index, part in enumerate(parts, 1):
                path = folder / f"chapter-{index:04d}.mp3"
                await self._download(part.audio_key, path)
                chapters.append((part.title, str(path)))
            for fmt, key in targets.items():
                encode, content_type = ENCODERS[fmt]
                out = folder / f"book.{fmt}"
                try:
                    await self._run(encode, chapters, str(out), meta, tags.cover)
                except UpstreamError:
                    if fmt != "mp3":
                        raise
                    # Chapters spoken by different engines (a fallback) differ in sample
                    # rate and cannot be joined without re-encoding: the M4B serves them.
                    log.warning("no whole-book MP3: the chapters differ in sample rate")
                    continue
                await self._storage.put_file(key, out, content_type)
                out.unlink()

    async def _run(self, fn: Any, *args: Any) -> None:
        await self._pool.run(fn, *args, timeout_s=self._timeout_s)

    async def _download(self, key: str, path: Path) -> None:
        file = await asyncio.to_thread(path.open, "wb")
        try:
            async for chunk in self._storage.open(key):
                await asyncio.to_thread(file.write, chunk)
        finally:
            await asyncio.to_thread(file.close)


__all__ = ["PooledAudiobookAssembler"]
