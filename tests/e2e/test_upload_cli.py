"""Books from files as a user at a terminal does it: `bookbytes upload` a real book (A
Christmas Carol, Project Gutenberg's text) against a real embedded server, follow the
job, then `bookbytes audiobook` the M4B and the MP3 and read their chapters back."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from tests.e2e.embedded import Server

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e

CAROL = Path(__file__).resolve().parents[1] / "fixtures" / "books" / "pg46-a-christmas-carol.txt.gz"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def test_upload_a_book_and_download_it_as_one_audiobook(server: Server, tmp_path: Path) -> None:
    book = tmp_path / "carol.txt"
    book.write_bytes(gzip.decompress(CAROL.read_bytes()))
    server.cli("register")
    done = server.cli("upload", str(book), "--chapters", "2-3", "--poll-s", "0.1")
    assert "6 chapters" in done.stderr and "Stave I: Marley's Ghost" in done.stderr
    assert "100%" in done.stderr and "completed: book" in done.stdout
    book_id = done.stdout.split("book ")[1].split(",")[0]
    assert f"m4b: /api/v1/books/{book_id}/audiobook?format=m4b" in done.stdout

    m4b = tmp_path / "carol.m4b"
    server.cli("audiobook", book_id, "-o", str(m4b))
    marks = MP4(str(m4b)).chapters
    assert [c.title for c in marks] == [
        "Stave I: Marley's Ghost",
        "Stave II: The First of the Three Spirits",
    ]
    assert marks[1].start > 60  # the fake engine speaks 0.4 s a word: minutes per stave

    mp3 = tmp_path / "carol.mp3"
    server.cli("audiobook", book_id, "-o", str(mp3))
    tag = ID3(str(mp3))
    [toc] = tag.getall("CTOC")
    assert len(toc.child_element_ids) == 2


def test_a_file_that_is_not_a_book_exits_1_with_its_code(server: Server, tmp_path: Path) -> None:
    picture = tmp_path / "cover.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    server.cli("register")
    result = server.cli("upload", str(picture), check=False)
    assert result.returncode == 1
    assert "unsupported_format" in result.stderr
