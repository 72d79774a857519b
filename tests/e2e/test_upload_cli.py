"""Books from files as a user at a terminal does it: `bookbytes upload` a real book (A
Christmas Carol, Project Gutenberg's text) against a real embedded server, follow the
job, then `bookbytes audiobook` the M4B and the MP3 and read their chapters back."""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from tests.e2e.embedded import Server, login_headers

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


def test_a_narration_cut_short_by_a_restart_resumes_at_the_part(tmp_path: Path) -> None:
    """Offline speech (espeak-ng) in parts of 200 characters: stop the server after some
    parts of the chapter are spoken; the next server's attempt speaks only the rest."""
    book = tmp_path / "carol.txt"
    book.write_bytes(gzip.decompress(CAROL.read_bytes()))
    env = {"TTS_PROVIDER": "espeak", "SPEECH_PART_CHARS": "200", "SHUTDOWN_TIMEOUT_S": "0.5"}
    first = Server(tmp_path, **env)
    try:
        first.cli("register")
        job_id = first.cli("upload", str(book), "--chapters", "2", "--no-wait").stdout.strip()
        headers = login_headers(first)
        deadline = time.monotonic() + 60
        while True:  # wait until a few parts of Stave I are spoken, then stop the server
            job = httpx.get(f"{first.url}/api/v1/jobs/{job_id}", headers=headers).json()
            spoken = re.match(r"chapter 2: part (\d+)/(\d+)", job["current_step"])
            if spoken and int(spoken.group(1)) >= 10:
                break
            assert job["status"] in ("pending", "processing"), job
            assert time.monotonic() < deadline, job
            time.sleep(0.02)
        parts = int(spoken.group(2))
    finally:
        assert first.stop() == 0

    second = Server(tmp_path, **env)
    try:
        headers = login_headers(second)
        deadline = time.monotonic() + 120
        while (job := httpx.get(f"{second.url}/api/v1/jobs/{job_id}", headers=headers).json())[
            "status"
        ] != "completed":
            assert job["status"] in ("pending", "processing"), job
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
        assert job["attempts"] == 2
        assert 10 <= job["result"]["parts_reused"] < parts  # resumed at the part
        m4b = httpx.get(
            f"{second.url}{job['result']['audiobook']['m4b']}", headers=headers, timeout=30
        )
        path = tmp_path / "carol.m4b"
        path.write_bytes(m4b.content)
        [mark] = MP4(str(path)).chapters
        assert mark.title == "Stave I: Marley's Ghost"
        assert MP4(str(path)).info.length > 20 * 60  # about half an hour of speech
    finally:
        second.stop()
