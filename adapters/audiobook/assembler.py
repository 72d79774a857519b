"""PooledAudiobookAssembler: the whole-book files made in a child-process pool.

``prepare`` encodes one chapter's AAC segment as soon as the chapter is spoken, so the
slow encoding is spread over the narration and across cores; ``assemble`` encodes the
segments still missing (in parallel), then joins them into the M4B and the chapters'
MP3s into the MP3. Files are fetched from storage to a temporary folder and the results
stored streamed.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from adapters.audiobook.m4b import encode_segment, join_segments
from adapters.audiobook.mp3 import write_mp3_book
from domain.errors import UpstreamError, ValidationFailed

log = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from adapters.native.pool import ChildProcessPool
    from application.books.ports import AudioStorage
    from application.uploads.ports import AudiobookPart, AudiobookTags

FORMATS = {"m4b": "audio/mp4", "mp3": "audio/mpeg"}
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

    async def prepare(self, part: AudiobookPart) -> None:
        with self._folder() as folder:
            await self._segment(part, await self._local_mp3(part, folder, 1), folder / "s.m4a")

    async def assemble(
        self, parts: Sequence[AudiobookPart], tags: AudiobookTags, targets: Mapping[str, str]
    ) -> None:
        unknown = set(targets) - set(FORMATS)
        if unknown:
            raise ValidationFailed(f"no encoder for {sorted(unknown)}")
        meta = {"title": tags.title, "album": tags.title, "artist": tags.author,
                "year": tags.year or ""}  # fmt: skip
        with self._folder() as folder:
            if "m4b" in targets:
                segments = await asyncio.gather(
                    *(self._local_segment(part, folder, n) for n, part in enumerate(parts, 1))
                )
                chapters = [(p.title, str(s)) for p, s in zip(parts, segments, strict=True)]
                await self._make(targets["m4b"], join_segments, chapters, folder / "book.m4b",
                                 meta, tags.cover)  # fmt: skip
            if "mp3" in targets:
                chapters = [
                    (part.title, str(await self._local_mp3(part, folder, number)))
                    for number, part in enumerate(parts, 1)
                ]
                try:
                    await self._make(targets["mp3"], write_mp3_book, chapters,
                                     folder / "book.mp3", meta, tags.cover)  # fmt: skip
                except UpstreamError:
                    # Chapters spoken by different engines (a fallback) differ in sample
                    # rate and cannot be joined without re-encoding: the M4B serves them.
                    log.warning("no whole-book MP3: the chapters differ in sample rate")

    async def _local_segment(self, part: AudiobookPart, folder: Path, number: int) -> Path:
        """The part's AAC segment in ``folder``: fetched when prepared, else made now."""
        path = folder / f"segment-{number:04d}.m4a"
        if await self._storage.exists(part.segment_key):
            await self._download(part.segment_key, path)
        else:
            await self._segment(part, await self._local_mp3(part, folder, number), path)
        return path

    async def _local_mp3(self, part: AudiobookPart, folder: Path, number: int) -> Path:
        """The part's chapter MP3 in ``folder``, fetched once (a segment made now and the
        whole-book MP3 both read it)."""
        path = folder / f"chapter-{number:04d}.mp3"
        if not await asyncio.to_thread(path.exists):
            await self._download(part.audio_key, path)
        return path

    async def _segment(self, part: AudiobookPart, mp3: Path, segment: Path) -> None:
        """Encode the part's chapter MP3 (``mp3``, local) to its AAC segment; store it."""
        await self._run(encode_segment, str(mp3), str(segment))
        await self._storage.put_file(part.segment_key, segment, "audio/mp4")

    async def _make(self, key: str, make: Any, chapters: Any, out: Path, *args: Any) -> None:
        await self._run(make, chapters, str(out), *args)
        await self._storage.put_file(key, out, FORMATS[out.suffix[1:]])
        await asyncio.to_thread(out.unlink)  # the temporary folder holds the next file

    async def _run(self, fn: Any, *args: Any) -> None:
        try:
            await self._pool.run(fn, *args, timeout_s=self._timeout_s)
        except ValueError as error:  # a segment of another format
            raise UpstreamError(f"the audiobook could not be encoded: {error}") from None

    @contextlib.contextmanager
    def _folder(self) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="bookbytes-audiobook-", dir=self._workdir) as tmp:
            yield Path(tmp)

    async def _download(self, key: str, path: Path) -> None:
        file = await asyncio.to_thread(path.open, "wb")
        try:
            async for chunk in self._storage.open(key):
                await asyncio.to_thread(file.write, chunk)
        finally:
            await asyncio.to_thread(file.close)


__all__ = ["PooledAudiobookAssembler"]
