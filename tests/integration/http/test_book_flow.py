"""Submit -> poll -> completed -> chapters -> audio, through the HTTP app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.memory.queue import MemoryJobQueue
from domain.audio import scan_mp3
from entrypoints.container import Container
from entrypoints.http.app import create_app
from tests.integration.http.conftest import register_and_login, wait_for_job

ISBN10 = "0-306-40615-2"
ISBN13 = "9780306406157"


async def submit(client: AsyncTestClient[Any], auth: dict[str, str], isbn: str) -> dict[str, Any]:
    response = await client.post("/api/v1/books/process", json={"isbn": isbn}, headers=auth)
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_submitted_book_ends_with_chapters_and_playable_audio(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    accepted = await submit(client, auth, ISBN10)
    assert accepted["status"] == "pending"
    assert accepted["created"] is True

    job = await wait_for_job(client, auth, accepted["job_id"])
    assert job["status"] == "completed", job
    assert job["progress"] == 100
    assert job["attempts"] == 1
    book_id = job["result"]["book_id"]
    assert job["result"]["chapters"] == 3

    book = (await client.get(f"/api/v1/books/{book_id}", headers=auth)).json()
    assert book["title"] == f"Book {ISBN13}"
    by_isbn10 = await client.get(f"/api/v1/books/isbn/{ISBN10}", headers=auth)
    by_isbn13 = await client.get(f"/api/v1/books/isbn/{ISBN13}", headers=auth)
    assert by_isbn10.json()["id"] == by_isbn13.json()["id"] == book_id

    chapters = (await client.get(f"/api/v1/books/{book_id}/chapters", headers=auth)).json()
    assert [c["number"] for c in chapters["items"]] == [1, 2, 3]
    first = chapters["items"][0]
    assert "Chapter 1" in first["summary"]
    assert first["word_count"] == len(first["summary"].split())
    rendition = job["result"]["rendition_id"]
    assert first["audio_url"] == f"/api/v1/books/{book_id}/chapters/1/audio?rendition={rendition}"
    assert first["rendition_id"] == chapters["rendition"]["id"] == rendition
    assert chapters["rendition"]["complete"] is True

    one = await client.get(f"/api/v1/books/{book_id}/chapters/2", headers=auth)
    assert one.status_code == 200
    assert one.json()["title"] == "Chapter 2"

    audio = await client.get(first["audio_url"], headers=auth)
    assert audio.status_code == 200
    assert audio.headers["content-type"] == "audio/mpeg"
    assert audio.headers["accept-ranges"] == "bytes"
    info = scan_mp3(audio.content)
    assert info is not None
    assert abs(info.duration_s - first["duration_s"]) < 0.05


async def test_audio_honours_byte_ranges(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    job = await wait_for_job(client, auth, (await submit(client, auth, ISBN13))["job_id"])
    url = f"/api/v1/books/{job['result']['book_id']}/chapters/1/audio"
    whole = (await client.get(url, headers=auth)).content
    size = len(whole)

    part = await client.get(url, headers={**auth, "Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{size}"

    tail = await client.get(url, headers={**auth, "Range": "bytes=-5"})
    assert tail.status_code == 206
    assert tail.content == whole[-5:]

    open_ended = await client.get(url, headers={**auth, "Range": f"bytes={size - 3}-"})
    assert open_ended.content == whole[-3:]

    beyond = await client.get(url, headers={**auth, "Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    assert beyond.json()["error"]["code"] == "range_not_satisfiable"


async def test_the_same_isbn_in_flight_returns_the_same_job(
    container: Container, tmp_path: Path
) -> None:
    held = MemoryJobQueue()  # keeps jobs pending so the first is surely still in flight
    container.jobs.queue.override(providers.Object(held))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        first = await submit(client, auth, ISBN10)
        second = await submit(client, auth, ISBN13)
        assert second["job_id"] == first["job_id"]
        assert second["created"] is False
        assert [str(j) for j in held.queued] == [first["job_id"]]

        other = await register_and_login(client, "bob@example.com")
        theirs = await submit(client, other, ISBN13)
        assert theirs["job_id"] != first["job_id"]

        cancelled = await client.post(f"/api/v1/jobs/{first['job_id']}/cancel", headers=auth)
        assert cancelled.json()["status"] == "cancelled"
        third = await submit(client, auth, ISBN13)
        assert third["job_id"] != first["job_id"]
        assert third["created"] is True


async def test_jobs_are_listed_newest_first_and_only_to_their_owner(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    ids = [(await submit(client, auth, isbn))["job_id"] for isbn in (ISBN13, "9780140449136")]
    listing = (await client.get("/api/v1/jobs?limit=1", headers=auth)).json()
    assert listing["total"] == 2
    assert [j["id"] for j in listing["items"]] == [ids[1]]

    other = await register_and_login(client, "bob@example.com")
    assert (await client.get("/api/v1/jobs", headers=other)).json()["total"] == 0
    stranger = await client.get(f"/api/v1/jobs/{ids[0]}", headers=other)
    assert stranger.status_code == 404
    assert stranger.json()["error"]["code"] == "job_not_found"
    cancel = await client.post(f"/api/v1/jobs/{ids[0]}/cancel", headers=other)
    assert cancel.status_code == 404


async def test_cancelling_a_finished_job_is_a_conflict(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    job = await wait_for_job(client, auth, (await submit(client, auth, ISBN13))["job_id"])
    response = await client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=auth)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_job_transition"


async def test_books_are_paginated_and_filtered(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    for isbn in (ISBN13, "9780140449136", "9780141439518"):
        await wait_for_job(client, auth, (await submit(client, auth, isbn))["job_id"])
    page = (await client.get("/api/v1/books?limit=2&offset=0", headers=auth)).json()
    assert page["total"] == 3
    assert len(page["items"]) == 2
    titles = [b["title"] for b in page["items"]]
    assert titles == sorted(titles)
    rest = (await client.get("/api/v1/books?limit=2&offset=2", headers=auth)).json()
    assert len(rest["items"]) == 1
    only = (await client.get("/api/v1/books?title=449136", headers=auth)).json()
    assert [b["title"] for b in only["items"]] == ["Book 9780140449136"]
    none = (await client.get("/api/v1/books?language=fr", headers=auth)).json()
    assert none["total"] == 0


async def test_a_queue_outage_is_503_and_the_job_is_queued_on_the_next_submit(
    container: Container,
) -> None:
    down = MemoryJobQueue()
    down.down = True
    container.jobs.queue.override(providers.Object(down))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        refused = await client.post("/api/v1/books/process", json={"isbn": ISBN13}, headers=auth)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "upstream_unavailable"
        (job,) = (await client.get("/api/v1/jobs", headers=auth)).json()["items"]
        assert job["status"] == "pending"  # kept, not lost

        down.down = False
        again = await submit(client, auth, ISBN13)
        assert again["job_id"] == job["id"]
        assert [str(j) for j in down.queued] == [job["id"]]
