"""The whole-book encoders on silent chapter MP3s: chapter marks where each chapter
starts, in order, with the real titles, and durations that add up to the file's; tags,
cover and media kind. Read back with mutagen (MP4 chpl atom, ID3 CHAP/CTOC) and PyAV (the
QuickTime chapter track)."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

import av
import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from adapters.audiobook.m4b import SAMPLE_RATE, encode_segment, join_segments
from adapters.audiobook.mp3 import write_mp3_book
from adapters.memory.speech import silent_mp3
from domain.audio import scan_mp3

if TYPE_CHECKING:
    from pathlib import Path

SECONDS = [3.0, 5.5, 2.25, 1.0]
TITLES = ["Preface", "Stave I: Marley\u2019s Ghost", "Stave II: The First Spirit", "The End"]
TAGS = {"title": "A Christmas Carol", "artist": "Charles Dickens", "year": "1843"}
COVER = b"\xff\xd8\xff\xe0" + bytes(64)


@pytest.fixture
def chapters(tmp_path: Path) -> list[tuple[str, str]]:
    made = []
    for index, (title, seconds) in enumerate(zip(TITLES, SECONDS, strict=True)):
        path = tmp_path / f"{index}.mp3"
        path.write_bytes(silent_mp3(seconds))
        made.append((title, str(path)))
    return made


def exact_seconds(path: str) -> float:
    info = scan_mp3(open(path, "rb").read())  # noqa: SIM115 - a test reading a file
    assert info is not None
    return info.duration_s


def segments(chapters: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[float]]:
    """Each chapter's AAC segment, and its length in seconds."""
    made, seconds = [], []
    for title, path in chapters:
        out = path.replace(".mp3", ".m4a")
        seconds.append(encode_segment(path, out) / SAMPLE_RATE)
        made.append((title, out))
    return made, seconds


def test_a_segment_holds_its_chapter_plus_at_most_two_aac_frames(
    chapters: list[tuple[str, str]],
) -> None:
    _, seconds = segments(chapters)
    for (_, path), length in zip(chapters, seconds, strict=True):
        assert 0 <= length - exact_seconds(path) <= 2 * 1024 / SAMPLE_RATE  # priming, padding


def test_m4b_marks_each_chapter_where_its_segment_starts_with_tags_and_cover(
    chapters: list[tuple[str, str]], tmp_path: Path
) -> None:
    parts, seconds = segments(chapters)
    out = tmp_path / "book.m4b"
    durations = join_segments(parts, str(out), TAGS, COVER)
    assert durations == pytest.approx(seconds, abs=1e-9)
    book = MP4(str(out))
    starts = [sum(seconds[:i]) for i in range(len(seconds))]
    assert [c.title for c in book.chapters] == TITLES
    assert [c.start for c in book.chapters] == pytest.approx(starts, abs=1e-3)
    assert book.info.length == pytest.approx(sum(seconds), abs=1e-3)  # they add up
    assert book.tags is not None
    assert (book.tags["\xa9nam"], book.tags["\xa9ART"], book.tags["\xa9day"]) == (
        ["A Christmas Carol"],
        ["Charles Dickens"],
        ["1843"],
    )
    assert book.tags["stik"] == [2]  # audiobook
    assert bytes(book.tags["covr"][0]) == COVER
    with av.open(str(out)) as container:  # the QuickTime chapter track (Apple Books)
        marks = container.chapters()
        assert [m["metadata"]["title"] for m in marks] == TITLES
        assert [float(m["start"] * m["time_base"]) for m in marks] == pytest.approx(
            starts, abs=0.001
        )
        assert [float(m["end"] * m["time_base"]) for m in marks] == pytest.approx(
            [*starts[1:], sum(seconds)], abs=0.001
        )
        assert container.streams.audio[0].codec_context.name == "aac"
        decoded = sum(frame.samples for frame in container.decode(audio=0))
    assert decoded / SAMPLE_RATE == pytest.approx(sum(seconds), abs=1e-9)


def test_a_segment_that_is_not_our_aac_is_refused(
    chapters: list[tuple[str, str]], tmp_path: Path
) -> None:
    parts, _ = segments(chapters[:1])
    with pytest.raises(ValueError, match="not 22050 Hz AAC"):
        join_segments([*parts, ("MP3", chapters[1][1])], str(tmp_path / "book.m4b"), TAGS)


def test_mp3_has_ordered_chap_and_ctoc_frames(
    chapters: list[tuple[str, str]], tmp_path: Path
) -> None:
    many = chapters * 3  # twelve chapters: more than mutagen's sorting can get right by luck
    out = tmp_path / "book.mp3"
    durations = write_mp3_book(many, str(out), TAGS, COVER)
    assert sum(durations) == pytest.approx(3 * sum(exact_seconds(p) for _, p in chapters))
    tag = ID3(str(out))
    [toc] = tag.getall("CTOC")
    chaps = {c.element_id: c for c in tag.getall("CHAP")}
    ordered = [chaps[i] for i in toc.child_element_ids]
    assert [c.sub_frames["TIT2"].text[0] for c in ordered] == [t for t, _ in many]
    assert ordered[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in itertools.pairwise(ordered))
    assert ordered[-1].end_time == round(sum(durations) * 1000)
    raw = out.read_bytes()[:10_000]  # in the file, CHAP frames are in chapter order too
    ids = [m.decode() for m in re.findall(rb"CHAP.{6}(chp\d{4})", raw, re.DOTALL)]
    assert ids == sorted(ids) and len(ids) == len(many)
    assert tag.getall("APIC")[0].data == COVER
    whole = scan_mp3(raw + out.read_bytes()[10_000:])
    assert whole is not None and whole.duration_s == pytest.approx(sum(durations))
