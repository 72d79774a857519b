"""Uploads made into books through the app: process, one-call upload, chapter text,
audio, and the owner-only rule (memory persistence and speech, real readers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.http.conftest import register_and_login, wait_for_job
from tests.integration.http.test_uploads import BOOK, upload

if TYPE_CHECKING:
    from litestar.testing import AsyncTestClient


async def process(
    client: AsyncTestClient[Any], auth: dict[str, str], upload_id: str, **body: Any
) -> Any:
    return await client.post(f"/api/v1/uploads/{upload_id}/process", json=body, headers=auth)


async def made_book(
    client: AsyncTestClient[Any], auth: dict[str, str], **body: Any
) -> dict[str, Any]:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    response = await process(client, auth, upload_id, **body)
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, auth, response.json()["job_id"])
    assert job["status"] == "completed", job
    return job


async def test_full_narration_makes_the_owners_book_with_audio_and_text(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    job = await made_book(client, auth)
    book_id = job["result"]["book_id"]
    assert job["book_id"] == book_id and job["result"]["chapters"] == 2
    chapters = (await client.get(f"/api/v1/books/{book_id}/chapters", headers=auth)).json()
    assert [c["title"] for c in chapters["items"]] == [
        "Chapter I: The Start",
        "Chapter II: The Finish",
    ]
    audio = await client.get(f"/api/v1/books/{book_id}/chapters/1/audio", headers=auth)
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    text = await client.get(f"/api/v1/books/{book_id}/chapters/2/text", headers=auth)
    assert text.status_code == 200
    assert text.json()["text"].startswith("It was the best of times")
    assert text.json()["title"] == "Chapter II: The Finish" and text.json()["words"] == 36
    book = await client.get(f"/api/v1/books/{book_id}", headers=auth)
    assert book.json()["title"] == "Two Little Chapters"
    listed = await client.get("/api/v1/books", headers=auth)
    assert [b["id"] for b in listed.json()["items"]] == [book_id]


async def test_a_book_from_an_upload_is_hidden_from_other_users(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    book_id = (await made_book(client, auth))["result"]["book_id"]
    eve = await register_and_login(client, "eve@example.com")
    for path in (
        "",
        "/chapters",
        "/chapters/1",
        "/chapters/1/audio",
        "/chapters/1/text",
    ):
        response = await client.get(f"/api/v1/books/{book_id}{path}", headers=eve)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "book_not_found"
    assert (await client.get("/api/v1/books", headers=eve)).json()["items"] == []


async def test_summary_mode_speaks_summaries_of_the_text(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    job = await made_book(client, auth, mode="summary", chapters=[2])
    book_id = job["result"]["book_id"]
    chapters = (await client.get(f"/api/v1/books/{book_id}/chapters", headers=auth)).json()
    [only] = chapters["items"]
    assert only["number"] == 2
    assert only["summary"].startswith("A summary of Chapter II: The Finish")
    assert only["audio_url"]


async def test_upload_and_process_in_one_call(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/books/upload",
        files={"file": ("two.txt", BOOK, "text/plain")},
        data={"mode": "full", "voice": "female", "chapters": "1", "speed": "1.25"},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert set(body) == {"job_id", "status", "upload_id", "created"}
    job = await wait_for_job(client, auth, body["job_id"])
    assert job["status"] == "completed", job
    assert job["result"]["upload_id"] == body["upload_id"] and job["result"]["chapters"] == 1
    uploaded = await client.get(f"/api/v1/uploads/{body['upload_id']}", headers=auth)
    assert uploaded.json()["book_id"] == job["result"]["book_id"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"chapters": [3]}, "validation_error"),
        ({"mode": "poem"}, "validation_error"),
        ({"voice": "nobody"}, "invalid_voice"),
        ({"provider": "nowhere"}, "invalid_provider"),
        ({"speed": 9}, "validation_error"),
    ],
)
async def test_bad_process_requests_are_422(
    client: AsyncTestClient[Any], auth: dict[str, str], body: dict[str, Any], code: str
) -> None:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    response = await process(client, auth, upload_id, **body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


async def test_bad_form_options_are_422(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    for fields in ({"chapters": "x-1"}, {"speed": "fast"}, {"speed": "7"}):
        response = await client.post(
            "/api/v1/books/upload", files={"file": ("b.txt", BOOK)}, data=fields, headers=auth
        )
        assert response.status_code == 422, (fields, response.text)


async def test_processing_someone_elses_upload_is_404(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    eve = await register_and_login(client, "eve@example.com")
    response = await process(client, eve, upload_id)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "upload_not_found"


async def test_a_book_found_by_isbn_has_no_text(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
    )
    job = await wait_for_job(client, auth, response.json()["job_id"])
    text = await client.get(f"/api/v1/books/{job['book_id']}/chapters/1/text", headers=auth)
    assert text.status_code == 404
    assert text.json()["error"]["code"] == "chapter_not_found"


async def test_search_and_recommendations_never_show_another_users_upload(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    book_id = (await made_book(client, auth))["result"]["book_id"]
    eve = await register_and_login(client, "eve@example.com")
    for who, visible in ((auth, True), (eve, False)):
        found = await client.get("/api/v1/books/search?q=little chapters", headers=who)
        assert found.status_code == 200, found.text
        assert (book_id in {item["id"] for item in found.json()["data"]}) is visible
    for path in ("popular", "personal"):
        picks = await client.get(f"/api/v1/recommendations/{path}", headers=eve)
        assert picks.status_code == 200, picks.text
        assert book_id not in {item["id"] for item in picks.json()["data"]}
