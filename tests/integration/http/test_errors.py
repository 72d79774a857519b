"""Every error path answers the documented envelope with the right status and code."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient


def assert_envelope(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    return error


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/books/process"),
        ("GET", "/api/v1/books"),
        ("GET", f"/api/v1/books/{uuid.uuid4()}"),
        ("GET", f"/api/v1/books/{uuid.uuid4()}/chapters/1/audio"),
        ("GET", "/api/v1/jobs"),
        ("GET", f"/api/v1/jobs/{uuid.uuid4()}"),
        ("POST", f"/api/v1/jobs/{uuid.uuid4()}/cancel"),
        ("GET", "/api/v1/auth/me"),
    ],
)
async def test_anonymous_callers_get_401(
    client: AsyncTestClient[Any], method: str, path: str
) -> None:
    response = await client.request(method, path, json={"isbn": "9780306406157"})
    assert_envelope(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer ", "bearer a.b.c"]
)
async def test_bad_tokens_get_401(client: AsyncTestClient[Any], header: str) -> None:
    response = await client.get("/api/v1/jobs", headers={"Authorization": header})
    assert_envelope(response, 401, "invalid_token")


@pytest.mark.parametrize("isbn", ["123", "0-306-40615-3", "978030640615X", "abcdefghij"])
async def test_a_bad_isbn_is_422_invalid_isbn(
    client: AsyncTestClient[Any], auth: dict[str, str], isbn: str
) -> None:
    response = await client.post("/api/v1/books/process", json={"isbn": isbn}, headers=auth)
    assert_envelope(response, 422, "invalid_isbn")


async def test_unknown_ids_are_404(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    missing = uuid.uuid4()
    assert_envelope(await client.get(f"/api/v1/jobs/{missing}", headers=auth), 404, "job_not_found")
    assert_envelope(
        await client.get(f"/api/v1/books/{missing}", headers=auth), 404, "book_not_found"
    )
    assert_envelope(
        await client.get(f"/api/v1/books/{missing}/chapters", headers=auth), 404, "book_not_found"
    )
    assert_envelope(
        await client.get("/api/v1/books/isbn/9780306406157", headers=auth), 404, "book_not_found"
    )


async def test_router_404_and_405_use_the_envelope(client: AsyncTestClient[Any]) -> None:
    assert_envelope(await client.get("/no/such/route"), 404, "not_found")
    assert_envelope(await client.delete("/health/live"), 405, "method_not_allowed")


async def test_a_malformed_body_is_400(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    response = await client.post(
        "/api/v1/books/process",
        content=b'{"isbn": ',
        headers={**auth, "Content-Type": "application/json"},
    )
    assert_envelope(response, 400, "malformed_json")


@pytest.mark.parametrize(
    "body",
    [{}, {"isbn": 9780306406157}, {"isbn": "9780306406157", "speed": 9}, {"isbn": "x", "y": 1}],
)
async def test_an_invalid_body_is_422_with_details(
    client: AsyncTestClient[Any], auth: dict[str, str], body: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/books/process", json=body, headers=auth)
    error = assert_envelope(response, 422, "validation_error")
    assert error["details"]


async def test_a_too_large_body_is_413(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    big = {"isbn": "9780306406157", "voice": "x" * 2_000_000}
    response = await client.post("/api/v1/books/process", json=big, headers=auth)
    assert_envelope(response, 413, "payload_too_large")


async def test_bad_query_parameters_are_422(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.get("/api/v1/books?limit=0", headers=auth)
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] == "validation_error"


async def test_a_missing_chapter_and_missing_audio(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    from tests.integration.http.conftest import wait_for_job

    accepted = await client.post(
        "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
    )
    job = await wait_for_job(client, auth, accepted.json()["job_id"])
    book_id = job["result"]["book_id"]
    assert_envelope(
        await client.get(f"/api/v1/books/{book_id}/chapters/99", headers=auth),
        404,
        "chapter_not_found",
    )
    assert_envelope(
        await client.get(f"/api/v1/books/{book_id}/chapters/99/audio", headers=auth),
        404,
        "chapter_not_found",
    )


async def test_register_errors(client: AsyncTestClient[Any]) -> None:
    url = "/api/v1/auth/register"
    assert_envelope(
        await client.post(url, json={"email": "not-an-email", "password": "long enough"}),
        422,
        "invalid_email",
    )
    assert_envelope(
        await client.post(url, json={"email": "a@example.com", "password": "short"}),
        422,
        "weak_password",
    )
    ok = await client.post(url, json={"email": "A@Example.com ", "password": "long enough"})
    assert ok.status_code == 201
    assert ok.json()["email"] == "a@example.com"
    assert_envelope(
        await client.post(url, json={"email": "a@example.com", "password": "long enough"}),
        409,
        "email_taken",
    )


async def test_login_errors_do_not_tell_which_part_was_wrong(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    url = "/api/v1/auth/login"
    wrong_password = await client.post(
        url, json={"email": "ada@example.com", "password": "wrong password"}
    )
    unknown = await client.post(url, json={"email": "nobody@example.com", "password": "whatever1"})
    first = assert_envelope(wrong_password, 401, "invalid_credentials")
    second = assert_envelope(unknown, 401, "invalid_credentials")
    assert first["message"] == second["message"]


async def test_request_ids_are_kept_or_made(client: AsyncTestClient[Any]) -> None:
    mine = await client.get("/health/live", headers={"X-Request-ID": "req-123"})
    assert mine.headers["x-request-id"] == "req-123"
    made = await client.get("/health/live")
    assert len(made.headers["x-request-id"]) == 32
    unsafe = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    error = await client.get("/nowhere", headers={"X-Request-ID": "req-404"})
    assert error.json()["error"]["request_id"] == "req-404"


async def test_the_docs_and_their_assets_are_served_locally(client: AsyncTestClient[Any]) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert not re.search(r"""(src|href)=["']https?://""", page.text)  # no CDN assets
    bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 100_000
    spec = (await client.get("/docs/openapi.json")).json()
    assert "/api/v1/books/process" in spec["paths"]
    process = spec["paths"]["/api/v1/books/process"]["post"]
    assert {"202", "401", "422"} <= set(process["responses"])
