"""ChainBookMetadataSource: Open Library first, Google Books as fallback and gap filler.

Both real adapters talk to one local fake server (Open Library under /ol, Google under /gb).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from adapters.chain_metadata import ChainBookMetadataSource
from adapters.googlebooks import GoogleBooksBookMetadataSource
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

ISBN = Isbn.parse("9780140328721")
POLICY = RetryPolicy(retries=1, timeout_s=2.0, base_delay_s=0.001)
OL_EDITION = "/ol/isbn/9780140328721.json"
GB_VOLUMES = "/gb/volumes"
OL_RECORD: dict[str, Any] = {
    "title": "Fantastic Mr. Fox",
    "authors": [{"key": "/authors/OL34184A"}],
    "works": [{"key": "/works/OL45804W"}],
    "languages": [{"key": "/languages/eng"}],
    "publish_date": "1988",
}
GB_VOLUME = {
    "volumeInfo": {
        "title": "Fantastic Mr Fox",
        "authors": ["Roald Dahl"],
        "publisher": "Penguin UK",
        "publishedDate": "2007-08-02",
        "industryIdentifiers": [
            {"type": "ISBN_13", "identifier": "9780140328721"},
            {"type": "ISBN_13", "identifier": "9780141346441"},
        ],
        "pageCount": 96,
        "language": "en",
        "imageLinks": {"thumbnail": "https://books.google.test/thumb"},
    }
}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    http = make_http_client(timeout_s=5.0, user_agent="BookBytes/test")
    yield http
    await http.aclose()


@pytest.fixture
def chain(
    fake_http: FakeHttpServer, client: httpx.AsyncClient, recorded_sleep: RecordingSleep
) -> ChainBookMetadataSource:
    fake_http.route("GET", "/ol/authors/OL34184A.json", Reply.json({"name": "Roald Dahl"}))
    return ChainBookMetadataSource(
        [
            OpenLibraryBookMetadataSource(
                client, f"{fake_http.url}/ol", POLICY, sleep=recorded_sleep
            ),
            GoogleBooksBookMetadataSource(
                client, f"{fake_http.url}/gb", None, POLICY, sleep=recorded_sleep
            ),
        ]
    )


def gb_reply(*items: dict[str, Any]) -> Reply:
    return Reply.json({"totalItems": len(items), "items": list(items)})


async def test_the_first_source_wins_and_the_next_fills_its_gaps(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", OL_EDITION, Reply.json(OL_RECORD))
    fake_http.route("GET", GB_VOLUMES, gb_reply(GB_VOLUME))

    edition = await chain.lookup(ISBN)

    assert edition.title == "Fantastic Mr. Fox"  # Open Library's
    assert edition.publish_date == date(1988, 1, 1)  # Open Library's
    assert edition.work_key == "OL45804W"
    assert edition.publisher == "Penguin UK"  # filled from Google Books
    assert edition.pages == 96
    assert edition.cover_url == "https://books.google.test/thumb"
    assert edition.other_isbns == (Isbn.parse("9780141346441"),)


async def test_a_complete_first_hit_asks_no_other_source(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    complete = {
        **OL_RECORD,
        "publishers": ["Puffin"],
        "number_of_pages": 96,
        "covers": [1],
        "edition_name": "1st",
        "table_of_contents": [{"title": "Mr. Fox"}],
    }
    fake_http.route("GET", OL_EDITION, Reply.json(complete))

    edition = await chain.lookup(ISBN)

    assert edition.publisher == "Puffin"
    assert not fake_http.requests_to(GB_VOLUMES)


async def test_not_found_in_the_first_source_falls_back_to_the_next(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", GB_VOLUMES, gb_reply(GB_VOLUME))

    edition = await chain.lookup(ISBN)

    assert edition.title == "Fantastic Mr Fox"  # Google's
    assert edition.work_key is None
    assert len(fake_http.requests_to(OL_EDITION)) == 1


async def test_a_failing_first_source_falls_back_to_the_next(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", OL_EDITION, Reply(503))
    fake_http.route("GET", GB_VOLUMES, gb_reply(GB_VOLUME))

    edition = await chain.lookup(ISBN)

    assert edition.title == "Fantastic Mr Fox"
    assert len(fake_http.requests_to(OL_EDITION)) == POLICY.retries + 1


async def test_found_nowhere_is_book_not_found(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", GB_VOLUMES, gb_reply())

    with pytest.raises(BookNotFound):
        await chain.lookup(ISBN)


async def test_not_found_after_a_failure_raises_the_failure(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", OL_EDITION, Reply(500))
    fake_http.route("GET", GB_VOLUMES, gb_reply())

    with pytest.raises(TransientUpstreamError):
        await chain.lookup(ISBN)


async def test_a_failing_gap_filler_is_ignored(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    fake_http.route("GET", OL_EDITION, Reply.json(OL_RECORD))
    fake_http.route("GET", GB_VOLUMES, Reply.text("not json"))

    edition = await chain.lookup(ISBN)

    assert edition.title == "Fantastic Mr. Fox"
    assert edition.publisher is None


async def test_other_editions_come_from_every_source(
    fake_http: FakeHttpServer, chain: ChainBookMetadataSource
) -> None:
    entry = {**OL_RECORD, "isbn_13": ["9780141346441"]}
    fake_http.route("GET", "/ol/works/OL45804W/editions.json", Reply.json({"entries": [entry]}))
    edition = Edition(ISBN, "Fantastic Mr. Fox", ("Roald Dahl",), work_key="OL45804W")

    others = await chain.other_editions(edition)

    assert [e.isbn for e in others] == [Isbn.parse("9780141346441")]


async def test_other_editions_fails_only_when_every_source_fails() -> None:
    class Failing:
        async def lookup(self, isbn: Isbn) -> Edition:
            raise UpstreamError("down")

        async def other_editions(self, edition: Edition) -> list[Edition]:
            raise UpstreamError("down")

    class Empty(Failing):
        async def other_editions(self, edition: Edition) -> list[Edition]:
            return []

    edition = Edition(ISBN, "Fantastic Mr. Fox")
    assert await ChainBookMetadataSource([Failing(), Empty()]).other_editions(edition) == []
    with pytest.raises(UpstreamError):
        await ChainBookMetadataSource([Failing(), Failing()]).other_editions(edition)


def test_a_chain_needs_a_source() -> None:
    with pytest.raises(ValueError, match="at least one"):
        ChainBookMetadataSource([])
