"""The audit's reproducers: each bad input answers 4xx in the error envelope, never 500.

Run through the outermost ASGI layers (``raw_client``), as `bookbytes serve` runs the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.http.conftest import register_and_login, wait_for_job

if TYPE_CHECKING:
    from litestar.testing import AsyncTestClient

ISBN = "9780306406157"
JSON = {"Content-Type": "application/json"}
HUGE = "99999999999999999999"


def assert_error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.json()["success"] is False
    error = response.json()["error"]
    assert error["request_id"] and error["message"]
    if code is not None:
        assert error["code"] == code


@pytest.fixture
async def book(raw_client: AsyncTestClient[Any]) -> tuple[dict[str, str], str]:
    """An account and a finished book with audio."""
    auth = await register_and_login(raw_client)
    response = await raw_client.post("/api/v1/books/process", json={"isbn": ISBN}, headers=auth)
    job = await wait_for_job(raw_client, auth, response.json()["job_id"])
    return auth, job["result"]["book_id"]


async def test_a_voice_that_overflowed_espeak_is_invalid_voice(
    raw_client: AsyncTestClient[Any],
) -> None:
    auth = await register_and_login(raw_client)
    for voice in ("en+" + "x" * 37, "en+" + "y" * 60, "en\u0000"):
        body = {"isbn": "9780000000002", "voice": voice}
        response = await raw_client.post("/api/v1/books/process", json=body, headers=auth)
        assert_error(response, 422, "invalid_voice")


@pytest.mark.parametrize("path", [f"/api/v1/books?offset={HUGE}", f"/api/v1/jobs?offset={HUGE}"])
async def test_huge_offsets_are_422(raw_client: AsyncTestClient[Any], path: str) -> None:
    auth = await register_and_login(raw_client)
    assert_error(await raw_client.get(path, headers=auth), 422, "validation_error")


@pytest.mark.parametrize("number", [HUGE, "2147483648", "1_0", "+1", "01", "0", "-1", "١", "1.0"])
async def test_chapter_numbers_that_are_not_plain_numbers_are_refused(
    raw_client: AsyncTestClient[Any], book: tuple[dict[str, str], str], number: str
) -> None:
    auth, book_id = book
    for suffix in ("", "/audio"):
        response = await raw_client.get(
            f"/api/v1/books/{book_id}/chapters/{number}{suffix}", headers=auth
        )
        assert response.status_code in (404, 422), response.text
        assert "error" in response.json()


async def test_a_range_of_thousands_of_digits_is_416_not_500(
    raw_client: AsyncTestClient[Any], book: tuple[dict[str, str], str]
) -> None:
    auth, book_id = book
    url = f"/api/v1/books/{book_id}/chapters/1/audio"
    huge = await raw_client.get(url, headers={**auth, "Range": f"bytes={'9' * 5000}-"})
    assert_error(huge, 416, "range_not_satisfiable")
    open_end = await raw_client.get(url, headers={**auth, "Range": f"bytes=0-{'9' * 5000}"})
    assert open_end.status_code == 206


@pytest.mark.parametrize("query", ["title=a%00b", "author=%00", "language=e%00", "title=%1b%5b31m"])
async def test_control_characters_in_filters_are_422(
    raw_client: AsyncTestClient[Any], query: str
) -> None:
    auth = await register_and_login(raw_client)
    response = await raw_client.get(f"/api/v1/books?{query}", headers=auth)
    assert_error(response, 422, "validation_error")


async def test_an_email_with_a_nul_is_not_a_lookalike_account(
    raw_client: AsyncTestClient[Any],
) -> None:
    await register_and_login(raw_client, "ada@example.com")
    body = '{"email": "ada@example.com\\u0000", "password": "correct horse battery"}'
    response = await raw_client.post("/api/v1/auth/register", content=body, headers=JSON)
    assert_error(response, 422, "invalid_email")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        (b'{"isbn": ' + b"[" * 3000 + b"]" * 3000 + b"}", "nested too deeply"),
        (b'{"isbn": "\xff\xfe"}', "not UTF-8"),
    ],
)
async def test_deep_or_non_utf8_json_is_400(
    raw_client: AsyncTestClient[Any], body: bytes, reason: str
) -> None:
    auth = await register_and_login(raw_client)
    response = await raw_client.post(
        "/api/v1/books/process", content=body, headers={**auth, **JSON}
    )
    assert_error(response, 400, "malformed_json")
    assert reason in response.json()["error"]["message"]


@pytest.mark.parametrize("isbn", ["97803064061²7", "978٠٣٠٦٤٠٦١٥7", "٠٣٠٦٤٠٦١٥٢"])
async def test_isbns_with_other_digits_are_invalid_and_make_no_book(
    raw_client: AsyncTestClient[Any], book: tuple[dict[str, str], str], isbn: str
) -> None:
    auth, _ = book
    response = await raw_client.post("/api/v1/books/process", json={"isbn": isbn}, headers=auth)
    assert_error(response, 422, "invalid_isbn")
    lookup = await raw_client.get(f"/api/v1/books/isbn/{isbn}", headers=auth)
    assert_error(lookup, 422, "invalid_isbn")
    books = (await raw_client.get("/api/v1/books", headers=auth)).json()
    assert books["total"] == 1


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None]
)
async def test_a_json_body_with_another_content_type_is_415(
    raw_client: AsyncTestClient[Any], content_type: str | None
) -> None:
    auth = await register_and_login(raw_client)
    headers = {**auth, **({"Content-Type": content_type} if content_type else {})}
    response = await raw_client.post(
        "/api/v1/books/process", content=b'{"isbn": "9780306406157"}', headers=headers
    )
    assert_error(response, 415, "unsupported_media_type")
    assert (await raw_client.get("/api/v1/jobs", headers=auth)).json()["total"] == 0


async def test_head_answers_every_get_route_with_its_headers_and_no_body(
    raw_client: AsyncTestClient[Any], book: tuple[dict[str, str], str]
) -> None:
    auth, book_id = book
    for path in (
        "/health/live",
        "/health/ready",
        "/api/v1/books",
        f"/api/v1/books/{book_id}",
        f"/api/v1/books/{book_id}/chapters",
        f"/api/v1/books/{book_id}/chapters/1/audio",
        "/docs/openapi.json",
    ):
        get = await raw_client.get(path, headers=auth)
        head = await raw_client.head(path, headers=auth)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers.get("content-length") == get.headers.get("content-length"), path
    missing = await raw_client.head(f"/api/v1/books/{book_id}/chapters/9", headers=auth)
    assert missing.status_code == 404 and missing.content == b""
