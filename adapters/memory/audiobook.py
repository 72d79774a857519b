"""FakeAudiobookAssembler: whole-book files without an encoder, for tests and the
memory configuration."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from adapters.mp3_join import join_mp3

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from application.books.ports import AudioStorage
    from application.uploads.ports import AudiobookPart, AudiobookTags


class FakeAudiobookAssembler:
    """Stores the chapters' MP3s joined (``mp3``) and a JSON manifest of the chapters and
    tags in place of an MP4 (``m4b``); a prepared segment is a copy of the chapter's MP3.
    ``made`` records each assembly, ``prepared`` each segment key prepared."""

    def __init__(self, storage: AudioStorage) -> None:
        self._storage = storage
        self.made: list[tuple[list[str], str, dict[str, str]]] = []
        self.prepared: list[str] = []

    async def prepare(self, part: AudiobookPart) -> None:
        audio = b"".join([c async for c in self._storage.open(part.audio_key)])
        await self._storage.put(part.segment_key, audio, "audio/mp4")
        self.prepared.append(part.segment_key)

    async def assemble(
        self, parts: Sequence[AudiobookPart], tags: AudiobookTags, targets: Mapping[str, str]
    ) -> None:
        audio = [b"".join([c async for c in self._storage.open(p.audio_key)]) for p in parts]
        self.made.append(([p.title for p in parts], tags.title, dict(targets)))
        for fmt, key in targets.items():
            if fmt == "mp3":
                await self._storage.put(key, join_mp3(audio), "audio/mpeg")
            else:
                manifest = {
                    "title": tags.title,
                    "author": tags.author,
                    "chapters": [p.title for p in parts],
                    "cover": bool(tags.cover),
                }
                await self._storage.put(key, json.dumps(manifest).encode(), "audio/mp4")


__all__ = ["FakeAudiobookAssembler"]
