"""The MOBI/AZW3 reader: its header checks, its refusals and its temporary files. MOBI files
cannot be made here, so the cases start from A Christmas Carol as calibre writes it (MOBI 7
and KF8, tests/fixtures/books) and break it; test_real_books.py reads it whole."""

from __future__ import annotations

import os
import struct
import tempfile
import time
from pathlib import Path

import pytest

from adapters.bookfiles.mobi import PREFIX, read_mobi, remove_stale
from domain.errors import EncryptedFile, FileTooLarge, UnreadableFile

BOOKS = Path(__file__).resolve().parents[2] / "fixtures" / "books"
MOBI7 = (BOOKS / "a-christmas-carol.mobi").read_bytes()
KF8 = (BOOKS / "a-christmas-carol.azw3").read_bytes()
GIB = 1024**3


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reader's temporary directories go under this test's own directory."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def read(tmp_path: Path, data: bytes, max_total: int = GIB) -> object:
    path = tmp_path / "book.mobi"
    path.write_bytes(data)
    return read_mobi(str(path), max_total, 100)


def first_record(data: bytes) -> int:
    (offset,) = struct.unpack_from(">I", data, 78)
    return offset


def with_drm(data: bytes) -> bytes:
    """The book with its first record's encryption type set (2: Mobipocket DRM)."""
    at = first_record(data) + 12
    return data[:at] + b"\x00\x02" + data[at + 2 :]


def declaring(data: bytes, text_length: int) -> bytes:
    at = first_record(data) + 4
    return data[:at] + struct.pack(">I", text_length) + data[at + 4 :]


@pytest.mark.parametrize("data", [MOBI7, KF8], ids=["mobi7", "kf8"])
def test_both_kinds_read_and_leave_no_files(tmp_path: Path, own_tempdir: Path, data: bytes) -> None:
    book = read(tmp_path, data)
    assert len(book.chapters) == 6  # type: ignore[attr-defined]
    assert list(own_tempdir.iterdir()) == []


@pytest.mark.parametrize("data", [MOBI7, KF8], ids=["mobi7", "kf8"])
def test_drm_is_refused_as_encrypted(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EncryptedFile):
        read(tmp_path, with_drm(data))


def test_a_book_declaring_more_text_than_the_limit_is_too_large(tmp_path: Path) -> None:
    with pytest.raises(FileTooLarge):
        read(tmp_path, MOBI7, max_total=100_000)  # A Christmas Carol has about 170 KB of text
    with pytest.raises(FileTooLarge):
        read(tmp_path, declaring(MOBI7, 0xFFFF_FFFF))


@pytest.mark.parametrize(
    "data",
    [
        MOBI7[:70],  # not even the PalmDB header
        MOBI7[:200],  # the record list cut
        MOBI7[: len(MOBI7) // 2],  # records missing
        KF8[: len(KF8) - 1000],
        MOBI7[:2000] + os.urandom(len(MOBI7) - 2000),  # garbage records
        MOBI7[:60] + b"BOOKMOBI" + bytes(8) + b"\xff\xff" + bytes(100),  # 65535 records: none
    ],
    ids=["header", "record-list", "half", "kf8-end", "garbage", "no-records"],
)
def test_a_broken_book_is_unreadable_and_leaves_no_files(
    tmp_path: Path, own_tempdir: Path, data: bytes
) -> None:
    with pytest.raises(UnreadableFile):
        read(tmp_path, data)
    assert list(own_tempdir.iterdir()) == []


def test_directories_left_by_killed_readers_are_removed_when_stale(own_tempdir: Path) -> None:
    stale, fresh, other = (
        own_tempdir / f"{PREFIX}old",
        own_tempdir / f"{PREFIX}new",
        own_tempdir / "x",
    )
    for directory in (stale, fresh, other):
        (directory / "mobi7").mkdir(parents=True)
        (directory / "mobi7" / "book.html").write_text("<html/>")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    remove_stale(600)
    assert sorted(p.name for p in own_tempdir.iterdir()) == [f"{PREFIX}new", "x"]
