"""M4B: a book's chapters as AAC in one MP4 (audiobook) file with chapter marks.

Each chapter is encoded on its own to an AAC *segment* (``encode_segment``), as soon as
the chapter is spoken and on any core, because AAC encoding is the slow part of making
the book (FFmpeg's encoder does about 230x real time on one core here). Assembly
(``join_segments``) then only copies the segments' AAC packets into one stream, one
after the other, and marks each chapter where its segment starts: marks fall on AAC
frame boundaries and each chapter's duration is its segment's, so they add up to the
book's exactly. A segment starts with the encoder's priming frame (46 ms of silence at
22.05 kHz), which also keeps a chapter's first sound from being cut.

FFmpeg writes the QuickTime chapter track Apple Books reads, and the Nero ``chpl`` list
other players read, from the chapters set before the header; tags and the cover are
written last with mutagen. Runs in a child process (PyAV's bundled FFmpeg); memory stays
at a few frames whatever the book's length.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from av.container.core import Chapter

BITRATE = 64_000
SAMPLE_RATE = 22_050  # every segment alike, whatever engine spoke the chapter
FRAME_SAMPLES = 1024  # an AAC-LC frame


def encode_segment(mp3_path: str, out_path: str) -> int:
    """Encode one chapter's MP3 to mono AAC-LC in an MP4 file at ``out_path``; return
    the segment's length in samples (whole AAC frames, priming included)."""
    import av

    with av.open(mp3_path) as source, av.open(out_path, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        stream.bit_rate = BITRATE
        stream.codec_context.options = {"aac_coder": "fast"}  # "twoloop" is ~5x slower
        packets = 0
        for frame in source.decode(audio=0):
            frame.pts = None  # PyAV resamples to the encoder's rate and frame size
            for packet in stream.encode(frame):
                out.mux(packet)
                packets += 1
        for packet in stream.encode(None):
            out.mux(packet)
            packets += 1
    return packets * FRAME_SAMPLES


def join_segments(
    chapters: list[tuple[str, str]],
    out_path: str,
    tags: dict[str, str],
    cover: bytes | None = None,
) -> list[float]:
    """Write the M4B of ``chapters`` ((title, segment path), in order) to ``out_path``.

    Returns each chapter's duration in seconds, as marked. Raises ValueError when a
    segment is not this module's AAC (another rate or codec).
    """
    import av

    time_base = Fraction(1, SAMPLE_RATE)
    bounds: list[tuple[int, int]] = []
    for _, path in chapters:  # chapter marks must be known before the file's header
        start = bounds[-1][1] if bounds else 0
        bounds.append((start, start + _packets(av, path) * FRAME_SAMPLES))
    with av.open(out_path, "w", format="ipod") as out:
        stream: Any = None
        for (_, path), (offset, _) in zip(chapters, bounds, strict=True):
            with av.open(path) as source:
                audio = source.streams.audio[0]
                if stream is None:
                    stream = out.add_stream_from_template(audio)
                    out.set_chapters(_marks([t for t, _ in chapters], bounds, time_base))
                for packet in source.demux(audio):
                    if packet.dts is None:
                        continue  # the demuxer's final empty packet
                    packet.stream = stream
                    packet.time_base = time_base
                    packet.pts = packet.dts = offset
                    packet.duration = FRAME_SAMPLES
                    offset += FRAME_SAMPLES
                    out.mux(packet)
    _tag(out_path, tags, cover)
    return [(end - start) / SAMPLE_RATE for start, end in bounds]


def _packets(av: Any, path: str) -> int:
    """How many AAC frames the segment has. Raises ValueError when it is not this
    module's AAC (another rate or codec)."""
    with av.open(path) as source:
        audio = source.streams.audio[0]
        if audio.codec_context.name != "aac" or audio.rate != SAMPLE_RATE:
            raise ValueError(f"segment {path} is not {SAMPLE_RATE} Hz AAC")
        return sum(1 for packet in source.demux(audio) if packet.dts is not None)


def _marks(titles: list[str], bounds: list[tuple[int, int]], time_base: Fraction) -> list[Chapter]:
    return [
        {"id": number, "start": start, "end": end, "time_base": time_base,
         "metadata": {"title": title}}
        for number, (title, (start, end)) in enumerate(zip(titles, bounds, strict=True), 1)
    ]  # fmt: skip


def _tag(path: str, tags: dict[str, str], cover: bytes | None) -> None:
    from mutagen.mp4 import MP4, MP4Cover

    file = MP4(path)
    if file.tags is None:
        file.add_tags()
    assert file.tags is not None  # noqa: S101 - added above
    names = {"title": "\xa9nam", "album": "\xa9alb", "artist": "\xa9ART", "year": "\xa9day",
             "genre": "\xa9gen", "comment": "\xa9cmt"}  # fmt: skip
    for name, value in tags.items():
        if value and name in names:
            file.tags[names[name]] = [value]
    file.tags["stik"] = [2]  # media kind: audiobook
    if cover:
        kind = MP4Cover.FORMAT_PNG if cover.startswith(b"\x89PNG") else MP4Cover.FORMAT_JPEG
        file.tags["covr"] = [MP4Cover(cover, kind)]
    file.save()


__all__ = ["SAMPLE_RATE", "encode_segment", "join_segments"]
