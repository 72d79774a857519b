"""GET /api/v1/books/{id}/audiobook: the whole book made by the real encoders (PyAV and
mutagen, in a child process) from the fake engine's chapter MP3s, read back with mutagen."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from tests.integration.http.conftest import register_and_login, wait_for_job
from tests.integration.http.test_uploads import BOOK, upload

if TYPE_CHECKING:
    from pathlib import Path

    from litestar.testing import AsyncTestClient

TITLES = ["Chapter I: The Start", "Chapter II: The Finish"]


async def made(client: AsyncTestClient[Any], auth: dict[str, str]) -> dict[str, Any]:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    response = await client.post(f"/api/v1/uploads/{upload_id}/process", json={}, headers=auth)
    job = await wait_for_job(client, auth, response.json()["job_id"], timeout_s=60)
    assert job["status"] == "completed", job
    return job


async def test_the_m4b_and_mp3_have_the_chapters_in_order(
    client: AsyncTestClient[Any], auth: dict[str, str], tmp_path: Path
) -> None:
    job = await made(client, auth)
    result = job["result"]
    book_id, rendition = result["book_id"], result["rendition_id"]
    assert result["audiobook"] == {
        fmt: f"/api/v1/books/{book_id}/audiobook?format={fmt}&rendition={rendition}"
        for fmt in ("m4b", "mp3")
    }
    chapters = (await client.get(f"/api/v1/books/{book_id}/chapters", headers=auth)).json()
    seconds = [c["duration_s"] for c in chapters["items"]]

    m4b = await client.get(result["audiobook"]["m4b"], headers=auth)
    assert m4b.status_code == 200, m4b.text
    assert m4b.headers["content-type"] == "audio/mp4"
    assert 'filename="Two Little Chapters.m4b"' in m4b.headers["content-disposition"]
    path = tmp_path / "book.m4b"
    path.write_bytes(m4b.content)
    book = MP4(str(path))
    assert [c.title for c in book.chapters] == TITLES
    # Each chapter's AAC segment adds at most two AAC frames (priming, padding): 93 ms.
    frames = 2 * 1024 / 22050
    assert 0 <= book.chapters[1].start - seconds[0] <= frames
    assert 0 <= book.info.length - sum(seconds) <= 2 * frames
    assert book.tags is not None and book.tags["\xa9nam"] == ["Two Little Chapters"]

    mp3 = await client.get(f"/api/v1/books/{book_id}/audiobook?format=mp3", headers=auth)
    assert mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg"
    tag = ID3(io.BytesIO(mp3.content))
    [toc] = tag.getall("CTOC")
    chaps = {c.element_id: c for c in tag.getall("CHAP")}
    assert [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids] == TITLES
    assert chaps[toc.child_element_ids[1]].start_time == round(seconds[0] * 1000)


async def test_ranges_owners_and_formats(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    book_id = (await made(client, auth))["result"]["book_id"]
    url = f"/api/v1/books/{book_id}/audiobook"
    part = await client.get(url, headers={**auth, "Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-range"].startswith("bytes 0-99/")
    bad = await client.get(f"{url}?format=ogg", headers=auth)
    assert bad.status_code == 422
    eve = await register_and_login(client, "eve@example.com")
    hidden = await client.get(url, headers=eve)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "book_not_found"


async def test_a_book_found_by_isbn_has_no_audiobook(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
    )
    job = await wait_for_job(client, auth, response.json()["job_id"])
    missing = await client.get(f"/api/v1/books/{job['book_id']}/audiobook", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "audio_not_found"
