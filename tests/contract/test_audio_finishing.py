"""Contract suites for the ports that finish a book's audio: LoudnessNormalizer (kept as
made, and measured in a child process) and AudiobookAssembler (the fake, and PyAV with
mutagen in a child process). Chapters are the fake engine's silent MP3s and a tone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import lameenc
import numpy as np
import pytest

from adapters.audiobook.assembler import PooledAudiobookAssembler
from adapters.loudness import PooledLoudnessNormalizer
from adapters.memory.audiobook import FakeAudiobookAssembler
from adapters.memory.speech import KeptLoudness, silent_mp3
from adapters.memory.storage import MemoryAudioStorage
from adapters.native.pool import ChildProcessPool
from application.uploads.ports import AudiobookPart, AudiobookTags
from domain.audio import scan_mp3

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.books.ports import LoudnessNormalizer
    from application.uploads.ports import AudiobookAssembler


@pytest.fixture
async def pool() -> AsyncIterator[ChildProcessPool]:
    made = ChildProcessPool("audio", max_workers=2, timeout_s=120.0)
    try:
        yield made
    finally:
        await made.aclose()


def tone_mp3(seconds: float, level: float) -> bytes:
    rate = 22050
    t = np.arange(int(rate * seconds)) / rate
    pcm = (np.sin(2 * np.pi * 220 * t) * level * 32767).astype("<i2")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())


# --- LoudnessNormalizer ------------------------------------------------------------------


@pytest.fixture(params=["kept", "pooled"])
def normalizer(request: pytest.FixtureRequest, pool: ChildProcessPool) -> LoudnessNormalizer:
    return KeptLoudness() if request.param == "kept" else PooledLoudnessNormalizer(pool)


async def test_normalised_audio_is_mp3_of_the_same_length(normalizer: LoudnessNormalizer) -> None:
    for audio in (tone_mp3(3.0, 0.05), silent_mp3(2.0)):
        before, after = scan_mp3(audio), scan_mp3(await normalizer.normalize(audio))
        assert before is not None and after is not None
        assert (after.frames, after.sample_rate) == (before.frames, before.sample_rate)


async def test_bytes_that_are_not_audio_come_back_as_given(
    normalizer: LoudnessNormalizer,
) -> None:
    assert await normalizer.normalize(b"not audio at all") == b"not audio at all"


# --- AudiobookAssembler ------------------------------------------------------------------

TITLES = ["One", "Two", "Three"]
SECONDS = [2.0, 3.5, 1.0]
TARGETS = {"m4b": "book/audiobook.m4b", "mp3": "book/audiobook.mp3"}


@pytest.fixture
def storage() -> MemoryAudioStorage:
    made = MemoryAudioStorage()
    for number, seconds in enumerate(SECONDS, 1):
        made.objects[f"book/chapter-{number}.mp3"] = silent_mp3(seconds)
    return made


@pytest.fixture(params=["fake", "pooled"])
def assembler(
    request: pytest.FixtureRequest, storage: MemoryAudioStorage, pool: ChildProcessPool
) -> AudiobookAssembler:
    if request.param == "fake":
        return FakeAudiobookAssembler(storage)
    return PooledAudiobookAssembler(storage, pool)


PARTS = [
    AudiobookPart(title, f"book/chapter-{n}.mp3", f"book/chapter-{n}.m4a")
    for n, title in enumerate(TITLES, 1)
]


def assert_whole_book(storage: MemoryAudioStorage) -> None:
    assert storage.objects[TARGETS["m4b"]]
    whole = scan_mp3(storage.objects[TARGETS["mp3"]])
    assert whole is not None and whole.duration_s == pytest.approx(sum(SECONDS), abs=0.1)


async def test_prepare_keeps_a_segment_per_chapter(
    assembler: AudiobookAssembler, storage: MemoryAudioStorage
) -> None:
    await assembler.prepare(PARTS[1])
    assert storage.objects[PARTS[1].segment_key]
    assert PARTS[0].segment_key not in storage.objects


@pytest.mark.parametrize("prepared", [0, 1, 3])
async def test_assembly_makes_both_files_however_many_chapters_were_prepared(
    assembler: AudiobookAssembler, storage: MemoryAudioStorage, prepared: int
) -> None:
    for part in PARTS[:prepared]:
        await assembler.prepare(part)
    await assembler.assemble(PARTS, AudiobookTags("Book", "Writer", "1900"), TARGETS)
    assert_whole_book(storage)
