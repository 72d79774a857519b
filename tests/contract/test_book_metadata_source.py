"""BookMetadataSource contract: the fake, Open Library, Google Books and the chain agree.

The HTTP sources answer from a local fake server over real HTTP: one known book, every
other ISBN unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from adapters.chain_metadata import ChainBookMetadataSource
from adapters.googlebooks import GoogleBooksBookMetadataSource
from adapters.http_client import make_http_client
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.openlibrary import OpenLibraryBookMetadataSource
from adapters.resilience import RetryPolicy
from domain.book import Edition
from domain.errors import BookNotFound
from domain.isbn import Isbn
from tests.support.fake_http import FakeHttpServer, RecordedRequest, Reply

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.books.ports import BookMetadataSource

KNOWN = Isbn.parse("9780140328721")
UNKNOWN = Isbn.parse("9780306406157")
POLICY = RetryPolicy(retries=1, timeout_s=2.0, base_delay_s=0.001, max_delay_s=0.01)


def serve(fake: FakeHttpServer) -> None:
    fake.route("GET", f"/ol/isbn/{KNOWN.value}.json", Reply.redirect("/ol/books/OL1M.json"))
    fake.route(
        "GET",
        "/ol/books/OL1M.json",
        Reply.json(
            {
                "title": "Fantastic Mr. Fox",
                "authors": [{"key": "/authors/OL1A"}],
                "works": [{"key": "/works/OL1W"}],
                "languages": [{"key": "/languages/eng"}],
                "publish_date": "1988",
                "isbn_13": [KNOWN.value],
            }
        ),
    )
    fake.route("GET", "/ol/authors/OL1A.json", Reply.json({"name": "Roald Dahl"}))
    fake.route("GET", "/ol/works/OL1W/editions.json", Reply.json({"entries": []}))
    fake.route(
        "GET", f"/ol/isbn/{UNKNOWN.value}.json", Reply.json({"error": "notfound"}, status=404)
    )

    def google(request: RecordedRequest) -> Reply:
        query = request.param("q") or ""
        if KNOWN.value in query:
            info = {
                "title": "Fantastic Mr. Fox",
                "authors": ["Roald Dahl"],
                "language": "en",
                "publishedDate": "1988",
                "industryIdentifiers": [{"type": "ISBN_13", "identifier": KNOWN.value}],
            }
            return Reply.json({"totalItems": 1, "items": [{"id": "x", "volumeInfo": info}]})
        return Reply.json({"totalItems": 0})

    fake.route("GET", "/gb/volumes", google)


@pytest.fixture(params=["memory", "openlibrary", "googlebooks", "chain"])
async def source(
    request: pytest.FixtureRequest, fake_http: FakeHttpServer
) -> AsyncIterator[BookMetadataSource]:
    if request.param == "memory":
        yield FakeBookMetadataSource(
            editions=[Edition(isbn=KNOWN, title="Fantastic Mr. Fox", authors=("Roald Dahl",))],
            unknown=[UNKNOWN.value],
        )
        return
    serve(fake_http)
    client = make_http_client(timeout_s=2.0, user_agent="BookBytes/contract")
    openlibrary = OpenLibraryBookMetadataSource(client, f"{fake_http.url}/ol", POLICY)
    google = GoogleBooksBookMetadataSource(client, f"{fake_http.url}/gb", None, POLICY)
    sources: dict[str, BookMetadataSource] = {
        "openlibrary": openlibrary,
        "googlebooks": google,
        "chain": ChainBookMetadataSource([openlibrary, google]),
    }
    yield sources[request.param]
    await client.aclose()


async def test_a_known_isbn_is_its_edition(source: BookMetadataSource) -> None:
    edition = await source.lookup(KNOWN)
    assert edition.isbn == KNOWN
    assert edition.title == "Fantastic Mr. Fox"
    assert "Roald Dahl" in edition.author
    assert edition.language == "en"


async def test_an_unknown_isbn_is_book_not_found(source: BookMetadataSource) -> None:
    with pytest.raises(BookNotFound):
        await source.lookup(UNKNOWN)


async def test_other_editions_are_editions_of_other_isbns(source: BookMetadataSource) -> None:
    edition = await source.lookup(KNOWN)
    others = await source.other_editions(edition)
    assert all(isinstance(other, Edition) for other in others)
    assert edition not in others
