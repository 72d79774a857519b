"""OpenLibraryBookMetadataSource against a local fake Open Library over real HTTP."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from adapters.http_client import make_http_client
from adapters.openlibrary import OpenLibraryBookMetadataSource
from adapters.resilience import RetryPolicy
from domain.book import Edition
from domain.errors import BookNotFound, TransientUpstreamError, UpstreamError
from domain.isbn import Isbn
from tests.support.fake_http import FakeHttpServer, Reply

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import httpx

    from tests.support.fixtures import RecordingSleep

USER_AGENT = "BookBytes/0.1 (+https://github.com/bookbytes)"
ISBN = Isbn.parse("9780140328721")
POLICY = RetryPolicy(retries=2, timeout_s=2.0, base_delay_s=0.001, max_delay_s=10.0)
EDITION_PATH = "/books/OL7353617M.json"
EDITION = {
    "key": "/books/OL7353617M",
    "title": "Fantastic Mr. Fox",
    "authors": [{"key": "/authors/OL34184A"}],
    "works": [{"key": "/works/OL45804W"}],
    "languages": [{"key": "/languages/eng"}],
    "publishers": ["Puffin"],
    "publish_date": "October 1, 1988",
    "number_of_pages": 96,
    "covers": [8739161, -1],
    "isbn_10": ["0140328726"],
    "isbn_13": ["9780140328721"],
    "table_of_contents": [
        {"level": 0, "label": "", "title": "Mr. Fox", "pagenum": ""},
        {"level": 0, "label": "", "title": "", "pagenum": "9"},
        {"level": 0, "label": "", "title": "Boggis, Bunce and Bean", "pagenum": ""},
    ],
}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    http = make_http_client(timeout_s=5.0, user_agent=USER_AGENT)
    yield http
    await http.aclose()


def source(
    server: FakeHttpServer,
    client: httpx.AsyncClient,
    sleep: RecordingSleep,
    policy: RetryPolicy = POLICY,
) -> OpenLibraryBookMetadataSource:
    return OpenLibraryBookMetadataSource(
        client, server.url, policy, covers_base_url="https://covers.test", sleep=sleep
    )


def serve_book(server: FakeHttpServer, *edition_replies: Reply) -> None:
    server.route("GET", f"/isbn/{ISBN.isbn13}.json", Reply.redirect(EDITION_PATH))
    server.route("GET", EDITION_PATH, *(edition_replies or (Reply.json(EDITION),)))
    server.route("GET", "/authors/OL34184A.json", Reply.json({"name": "Roald Dahl"}))


async def test_lookup_follows_the_redirect_and_maps_the_edition(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http)

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition == Edition(
        isbn=ISBN,
        title="Fantastic Mr. Fox",
        authors=("Roald Dahl",),
        language="en",
        publisher="Puffin",
        publish_date=date(1988, 10, 1),
        pages=96,
        cover_url="https://covers.test/b/id/8739161-L.jpg",
        work_key="OL45804W",
        table_of_contents=("Mr. Fox", "Boggis, Bunce and Bean"),
    )
    assert [r.path for r in fake_http.requests] == [
        f"/isbn/{ISBN.isbn13}.json",
        EDITION_PATH,
        "/authors/OL34184A.json",
    ]
    assert all(r.headers["user-agent"] == USER_AGENT for r in fake_http.requests)
    assert recorded_sleep.waits == []


async def test_lookup_takes_authors_from_the_work_and_maps_the_language(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    french = {
        **EDITION,
        "authors": [],
        "languages": [{"key": "/languages/fre"}],
        "isbn_13": ["9780140328721", "9782070612758"],
        "publish_date": "2004-09",
        "table_of_contents": [],
    }
    serve_book(fake_http, Reply.json(french))
    fake_http.route(
        "GET",
        "/works/OL45804W.json",
        Reply.json({"authors": [{"author": {"key": "/authors/OL34184A"}, "type": {}}]}),
    )

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.authors == ("Roald Dahl",)
    assert edition.language == "fr"
    assert edition.publish_date == date(2004, 9, 1)
    assert edition.table_of_contents == ()
    assert edition.other_isbns == (Isbn.parse("9782070612758"),)


async def test_429_waits_as_long_as_retry_after_says_then_succeeds(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply(429, headers={"Retry-After": "7"}), Reply.json(EDITION))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.title == "Fantastic Mr. Fox"
    assert recorded_sleep.waits == [7.0]


async def test_5xx_is_retried_then_succeeds(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply(502), Reply(500), Reply.json(EDITION))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.title == "Fantastic Mr. Fox"
    assert len(recorded_sleep.waits) == 2
    assert all(0 <= wait <= POLICY.max_delay_s for wait in recorded_sleep.waits)


async def test_5xx_every_time_is_transient_after_the_retries(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply(503))

    with pytest.raises(TransientUpstreamError):
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert len(fake_http.requests_to(EDITION_PATH)) == POLICY.retries + 1


async def test_a_slow_server_times_out_as_transient_after_the_retries(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply.json(EDITION, delay_s=1.0))
    policy = RetryPolicy(retries=1, timeout_s=0.1, base_delay_s=0.001)

    with pytest.raises(TransientUpstreamError, match="timed out"):
        await source(fake_http, client, recorded_sleep, policy).lookup(ISBN)

    assert len(fake_http.requests_to(EDITION_PATH)) == 2


async def test_malformed_json_is_an_upstream_error_and_not_retried(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply.text("<html>oops", headers={"Content-Type": "application/json"}))

    with pytest.raises(UpstreamError) as caught:
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert not caught.value.retryable
    assert len(fake_http.requests_to(EDITION_PATH)) == 1


async def test_an_answer_of_the_wrong_shape_is_an_upstream_error(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply.json({"title": "X", "number_of_pages": "many"}))

    with pytest.raises(UpstreamError) as caught:
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert not caught.value.retryable


async def test_other_4xx_is_an_upstream_error_and_not_retried(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    serve_book(fake_http, Reply(403))

    with pytest.raises(UpstreamError) as caught:
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert not caught.value.retryable
    assert recorded_sleep.waits == []


async def test_an_unknown_isbn_is_book_not_found(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    with pytest.raises(BookNotFound):
        await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert len(fake_http.requests) == 1


async def test_other_editions_lists_the_works_editions_with_isbn_and_language(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    entries = [
        EDITION,  # the edition itself
        {**EDITION, "isbn_13": ["9780141346441"], "isbn_10": [], "publish_date": "2013"},
        {
            **EDITION,
            "isbn_13": [],
            "isbn_10": ["2070612759"],
            "languages": [{"key": "/languages/fre"}],
        },
        {**EDITION, "isbn_13": [], "isbn_10": []},  # no ISBN
        {**EDITION, "isbn_13": ["9780241568583"], "languages": []},  # no language
    ]
    fake_http.route("GET", "/works/OL45804W/editions.json", Reply.json({"entries": entries}))
    edition = Edition(ISBN, "Fantastic Mr. Fox", ("Roald Dahl",), work_key="OL45804W")

    others = await source(fake_http, client, recorded_sleep).other_editions(edition)

    assert [(e.isbn, e.language) for e in others] == [
        (Isbn.parse("9780141346441"), "en"),
        (Isbn.parse("2070612759"), "fr"),
    ]
    assert others[0].publish_date == date(2013, 1, 1)
    assert all(e.authors == ("Roald Dahl",) and e.work_key == "OL45804W" for e in others)
    assert fake_http.requests[0].param("limit") == "50"
    assert not fake_http.requests_to("/authors/OL34184A.json")


async def test_other_editions_without_a_work_is_empty_and_asks_nothing(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    edition = Edition(ISBN, "Fantastic Mr. Fox")

    assert await source(fake_http, client, recorded_sleep).other_editions(edition) == []
    assert fake_http.requests == []


async def test_other_editions_of_an_unknown_work_is_empty(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    edition = Edition(ISBN, "Fantastic Mr. Fox", work_key="OL1W")

    assert await source(fake_http, client, recorded_sleep).other_editions(edition) == []


async def test_lookup_keeps_the_subjects_that_are_text(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> None:
    subjects = [" Foxes -- Juvenile fiction ", {"key": "/subjects/x"}, "", "Animals"]
    serve_book(fake_http, Reply.json({**EDITION, "subjects": subjects}))

    edition = await source(fake_http, client, recorded_sleep).lookup(ISBN)

    assert edition.subjects == ("Foxes -- Juvenile fiction", "Animals")
