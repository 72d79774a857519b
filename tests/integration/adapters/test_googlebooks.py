"""GoogleBooksBookMetadataSource against a local fake Books API over real HTTP."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from adapters.googlebooks import GoogleBooksBookMetadataSource
from adapters.http_client import make_http_client
from adapters.resilience import RetryPolicy
from domain.book import Edition
from domain.errors import BookNotFound, TransientUpstreamError, UpstreamError
from domain.isbn import Isbn
from tests.support.fake_http import FakeHttpServer, Reply

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import httpx

    from tests.support.fixtures import RecordingSleep

ISBN = Isbn.parse("9780140328721")
POLICY = RetryPolicy(retries=2, timeout_s=2.0, base_delay_s=0.001, max_delay_s=10.0)


def volume(**info: Any) -> dict[str, Any]:
    return {
        "kind": "books#volume",
        "id": "abc",
        "volumeInfo": {
            "title": "Fantastic Mr Fox",
            "authors": ["Roald Dahl"],
            "publisher": "Penguin UK",
            "publishedDate": "2007-08",
            "industryIdentifiers": [
                {"type": "ISBN_10", "identifier": "0140328726"},
                {"type": "ISBN_13", "identifier": "9780140328721"},
                {"type": "OTHER", "identifier": "UOM:39015"},
            ],
            "pageCount": 96,
            "language": "en",
            "imageLinks": {
                "smallThumbnail": "http://books.google.test/small",
                "thumbnail": "http://books.google.test/thumb",
            },
            **info,
        },
    }


def volumes(*items: dict[str, Any]) -> Reply:
    return Reply.json({"kind": "books#volumes", "totalItems": len(items), "items": list(items)})


NO_VOLUMES = Reply.json({"kind": "books#volumes", "totalItems": 0})


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    http = make_http_client(timeout_s=5.0, user_agent="BookBytes/test")
    yield http
    await http.aclose()


def source(
    server: FakeHttpServer,
    client: httpx.AsyncClient,
    sleep: RecordingSleep,
    api_key: str | None = "secret-key",
    policy: RetryPolicy = POLICY,
) -> GoogleBooksBookMetadataSource:
    return GoogleBooksBookMetadataSource(client, server.url, api_key, policy, sleep=sleep)


async def test_lookup_searches_by_isbn_and_maps_the_volume(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", volumes(volume()))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition == Edition(
        isbn=ISBN,
        title="Fantastic Mr Fox",
        authors=("Roald Dahl",),
        language="en",
        publisher="Penguin UK",
        publish_date=date(2007, 8, 1),
        pages=96,
        cover_url="https://books.google.test/thumb",
    )
    (request,) = fake_http.requests
    assert request.param("q") == "isbn:9780140328721"
    assert request.param("key") == "secret-key"
    assert request.headers["user-agent"] == "BookBytes/test"


async def test_lookup_without_an_api_key_sends_none_and_keeps_the_language(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", volumes(volume(language="pt-BR", imageLinks={})))

    edition = await source(fake_http, client, recorded_sleep, api_key=None).lookup(ISBN)

    assert edition.language == "pt"
    assert edition.cover_url is None
    assert fake_http.requests[0].param("key") is None


async def test_lookup_prefers_the_volume_that_carries_the_isbn(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    ids = [{"type": "ISBN_13", "identifier": "9780141346441"}]
    other = volume(title="Another Book", industryIdentifiers=ids)
    fake_http.route("GET", "/volumes", volumes(other, volume()))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.title == "Fantastic Mr Fox"


async def test_no_volume_is_book_not_found(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", NO_VOLUMES)

    with pytest.raises(BookNotFound):
        await source(fake_http, client, recorded_sleep).lookup(ISBN)


async def test_http_404_is_book_not_found(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    with pytest.raises(BookNotFound):
        await source(fake_http, client, recorded_sleep).lookup(ISBN)


async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply(429, headers={"Retry-After": "3"}), volumes(volume()))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.title == "Fantastic Mr Fox"
    assert recorded_sleep.waits == [3.0]


async def test_5xx_is_retried_then_succeeds(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply(500), volumes(volume()))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.title == "Fantastic Mr Fox"
    assert len(recorded_sleep.waits) == 1


async def test_a_slow_server_times_out_as_transient_after_the_retries(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply.json({}, delay_s=1.0))
    policy = RetryPolicy(retries=1, timeout_s=0.1, base_delay_s=0.001)

    with pytest.raises(TransientUpstreamError):
        await source(fake_http, client, recorded_sleep, policy=policy).lookup(ISBN)

    assert len(fake_http.requests) == 2


async def test_the_http_client_timeout_is_transient_too(
    fake_http: FakeHttpServer, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply.json({}, delay_s=1.0))
    policy = RetryPolicy(retries=0, timeout_s=5.0)
    http = make_http_client(timeout_s=0.1, user_agent="BookBytes/test")
    try:
        with pytest.raises(TransientUpstreamError, match="timed out"):
            await source(fake_http, http, recorded_sleep, policy=policy).lookup(ISBN)
    finally:
        await http.aclose()


async def test_malformed_json_is_an_upstream_error_and_not_retried(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply.text('{"items": ['))

    with pytest.raises(UpstreamError) as caught:
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert not caught.value.retryable
    assert len(fake_http.requests) == 1


async def test_a_bad_api_key_is_an_upstream_error(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    fake_http.route("GET", "/volumes", Reply.json({"error": {"code": 400}}, status=400))

    with pytest.raises(UpstreamError) as caught:
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert not caught.value.retryable


async def test_other_editions_is_empty(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    edition = Edition(ISBN, "Fantastic Mr Fox")

    assert await source(fake_http, client, recorded_sleep).other_editions(edition) == []


async def test_lookup_keeps_the_categories_as_subjects(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    categories = ["Juvenile Fiction / Animals", " "]
    fake_http.route("GET", "/volumes", volumes(volume(categories=categories)))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.subjects == ("Juvenile Fiction / Animals",)
