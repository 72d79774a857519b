"""gzip where the client accepts it: the docs' assets and JSON shrink; audio stays byte-exact."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING, Any

from swagger_ui_bundle import swagger_ui_path

from tests.integration.http.conftest import wait_for_job

if TYPE_CHECKING:
    from litestar.testing import AsyncTestClient

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
BUNDLE = "/docs/assets/swagger-ui-bundle.js"


async def raw_get(
    client: AsyncTestClient[Any], url: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body bytes as sent on the wire (not decoded)."""
    async with client.stream("GET", url, headers=headers) as response:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        return response.status_code, dict(response.headers), body


async def test_the_swagger_bundle_is_gzipped_for_clients_that_accept_it(
    client: AsyncTestClient[Any],
) -> None:
    original = (swagger_ui_path / "swagger-ui-bundle.js").read_bytes()

    status, headers, body = await raw_get(client, BUNDLE, GZIP)

    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 3  # 1.5 MB of JavaScript travels as ~0.4 MB


async def test_clients_that_do_not_accept_gzip_get_the_plain_bytes(
    client: AsyncTestClient[Any],
) -> None:
    status, headers, body = await raw_get(client, BUNDLE, IDENTITY)

    assert status == 200
    assert "content-encoding" not in headers
    assert body == (swagger_ui_path / "swagger-ui-bundle.js").read_bytes()


async def test_the_openapi_document_and_the_docs_page_are_gzipped(
    client: AsyncTestClient[Any],
) -> None:
    for url in ("/docs/openapi.json", "/docs"):
        status, headers, body = await raw_get(client, url, GZIP)

        assert status == 200, url
        assert headers["content-encoding"] == "gzip", url
        assert gzip.decompress(body).strip().startswith((b"{", b"<!")), url


async def test_audio_and_its_ranges_are_never_compressed(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    accepted = await client.post(
        "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
    )
    job = await wait_for_job(client, auth, accepted.json()["job_id"])
    url = f"/api/v1/books/{job['result']['book_id']}/chapters/1/audio"
    _, _, whole = await raw_get(client, url, {**auth, **IDENTITY})
    assert len(whole) > 1024  # big enough that only the media type keeps it uncompressed

    status, headers, body = await raw_get(client, url, {**auth, **GZIP})
    assert status == 200
    assert headers["content-type"] == "audio/mpeg"
    assert "content-encoding" not in headers
    assert headers["content-length"] == str(len(whole))
    assert body == whole

    status, headers, body = await raw_get(client, url, {**auth, **GZIP, "Range": "bytes=0-1499"})
    assert status == 206
    assert "content-encoding" not in headers
    assert headers["content-range"] == f"bytes 0-1499/{len(whole)}"
    assert body == whole[:1500]
