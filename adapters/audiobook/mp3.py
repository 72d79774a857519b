"""The whole book as one MP3: the chapters' MPEG frames one after another (no re-encoding)
and an ID3v2.4 tag with a CTOC table of contents and a CHAP frame per chapter.

Chapter times are exact: each chapter's frames are counted. mutagen writes frames in its
own order (by size, then name), so after it saves, the CHAP frames are put back in
chapter order in place (players that ignore the CTOC read them in file order).
"""

from __future__ import annotations

from pathlib import Path

from adapters.mp3_join import mp3_frames


def write_mp3_book(
    chapters: list[tuple[str, str]],
    out_path: str,
    tags: dict[str, str],
    cover: bytes | None = None,
) -> list[float]:
    """Write the MP3 of ``chapters`` ((title, mp3 path), in order) to ``out_path``.

    Returns each chapter's duration in seconds. Raises UpstreamError when a chapter is
    not MP3 or the chapters differ in sample rate.
    """
    from domain.errors import UpstreamError

    durations: list[float] = []
    rates: set[int] = set()
    with Path(out_path).open("wb") as out:
        for _, path in chapters:
            frames, rate = mp3_frames(Path(path).read_bytes(), "a chapter")
            rates.add(rate)
            samples = 1152 if rate >= 32000 else 576
            for frame in frames:
                out.write(frame)
            durations.append(len(frames) * samples / rate)
    if len(rates) > 1:
        raise UpstreamError("the chapters' MP3s differ in sample rate")
    _tag(out_path, [t for t, _ in chapters], durations, tags, cover)
    return durations


def _tag(
    path: str, titles: list[str], durations: list[float], tags: dict[str, str], cover: bytes | None
) -> None:
    from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCON, TDRC, TIT2, TPE1, CTOCFlags

    tag = ID3()
    if tags.get("title"):
        tag.add(TIT2(encoding=3, text=[tags["title"]]))
        tag.add(TALB(encoding=3, text=[tags.get("album") or tags["title"]]))
    if tags.get("artist"):
        tag.add(TPE1(encoding=3, text=[tags["artist"]]))
    if tags.get("year"):
        tag.add(TDRC(encoding=3, text=[tags["year"]]))
    tag.add(TCON(encoding=3, text=[tags.get("genre") or "Audiobook"]))
    if cover:
        mime = "image/png" if cover.startswith(b"\x89PNG") else "image/jpeg"
        tag.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover))
    ids = [f"chp{n:04d}" for n in range(1, len(titles) + 1)]
    tag.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Chapters"])],
        )
    )
    start = 0.0
    for element_id, title, duration in zip(ids, titles, durations, strict=True):
        end = start + duration
        tag.add(
            CHAP(
                element_id=element_id,
                start_time=round(start * 1000),
                end_time=round(end * 1000),
                sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )
        start = end
    tag.save(path, v2_version=4, padding=lambda info: 1024)
    _order_chapters(path)


def _order_chapters(path: str) -> None:
    """Rewrite the ID3v2.4 tag's frames in place with the CHAP frames in chapter order
    (their element ids sort that way) and every other frame where it was."""
    with Path(path).open("r+b") as file:
        header = file.read(10)
        size = _synchsafe(header[6:10])
        body = file.read(size)
        frames: list[tuple[bytes, bytes]] = []
        pos = 0
        while pos + 10 <= len(body) and body[pos : pos + 4].strip(b"\x00"):
            length = _synchsafe(body[pos + 4 : pos + 8])
            frames.append((body[pos : pos + 4], body[pos : pos + 10 + length]))
            pos += 10 + length
        chapters = iter(sorted((f for i, f in frames if i == b"CHAP"), key=lambda f: f[10:18]))
        ordered = [next(chapters) if i == b"CHAP" else f for i, f in frames]
        file.seek(10)
        file.write(b"".join(ordered))


def _synchsafe(data: bytes) -> int:
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
    return value


__all__ = ["write_mp3_book"]
