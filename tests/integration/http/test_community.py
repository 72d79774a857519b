"""The community routes through the HTTP app on memory adapters: profiles, reviews and
ratings, favourites, the catalogue (pages, cursors, fields), search, recommendations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from domain.book import Book, BookIsbn
from domain.isbn import Isbn
from tests.integration.http.conftest import memory_container, memory_settings, register_and_login

if TYPE_CHECKING:
    from pathlib import Path

    from litestar.testing import AsyncTestClient

    from entrypoints.container import Container

T0 = datetime(2024, 1, 1, tzinfo=UTC)


async def seed(container: Container, *titles: str, isbn: str | None = None) -> list[str]:
    """Put books in the catalogue; their ids in order."""
    books = [
        Book(uuid.uuid4(), title, f"Author {i}", "en", T0 + timedelta(minutes=i), T0)
        for i, title in enumerate(titles)
    ]
    async with container.core.uow_factory()() as uow:
        for book in books:
            await uow.books.save(book)
        if isbn:
            await uow.books.add_isbns(BookIsbn.all_for(books[0].id, Isbn.parse(isbn)))
        await uow.commit()
    return [str(b.id) for b in books]


async def test_profile_get_and_update(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    empty = (await client.get("/api/v1/users/profile", headers=auth)).json()
    assert empty["success"] is True and empty["data"]["first_name"] == ""
    response = await client.put(
        "/api/v1/users/profile",
        json={"first_name": " <b>Ada</b> ", "last_name": "Lovelace"},
        headers=auth,
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["first_name"] == "Ada"
    again = await client.put("/api/v1/users/profile", json={"last_name": "King"}, headers=auth)
    assert (again.json()["data"]["first_name"], again.json()["data"]["last_name"]) == (
        "Ada",
        "King",
    )
    too_long = await client.put("/api/v1/users/profile", json={"first_name": "x" * 150},
                                headers=auth)  # fmt: skip
    assert too_long.status_code == 422


async def test_reviews_rules_and_exact_ratings(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    (book,) = await seed(container, "Dune")
    other = await register_and_login(client, "bob@example.com")
    url = f"/api/v1/books/{book}/reviews"
    text = "<p>Great <script>x</script>book</p>"
    first = await client.post(url, json={"rating": 5, "text": text}, headers=auth)
    assert first.status_code == 201, first.text
    body = first.json()["data"]
    assert body["review"]["text"] == "Great book"
    assert body["book"] == {"book_id": book, "average_rating": 5.0, "total_reviews": 1}
    review_id = body["review"]["id"]

    twice = await client.post(url, json={"rating": 4}, headers=auth)
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "review_exists"
    assert twice.json()["error"]["details"] == {"review_id": review_id}

    for bad in ({"rating": 0}, {"rating": 6}, {"rating": 4.5}, {"rating": 3, "text": "x" * 5001}):
        assert (await client.post(url, json=bad, headers=other)).status_code == 422, bad
    assert (await client.post(url, json={"rating": 4}, headers=other)).status_code == 201
    books = (await client.get("/api/v1/books", headers=auth)).json()["data"]
    assert (books[0]["average_rating"], books[0]["total_reviews"]) == (4.5, 2)
    rating = (await client.get(f"/api/v1/books/{book}/rating", headers=auth)).json()["data"]
    assert rating == {"book_id": book, "average_rating": 4.5, "total_reviews": 2}
    missing = await client.get(f"/api/v1/books/{uuid.uuid4()}/rating", headers=auth)
    assert missing.status_code == 404

    foreign = await client.put(f"/api/v1/reviews/{review_id}", json={"rating": 1}, headers=other)
    assert foreign.status_code == 403
    assert (await client.delete(f"/api/v1/reviews/{review_id}", headers=other)).status_code == 403
    edited = await client.put(f"/api/v1/reviews/{review_id}", json={"rating": 3}, headers=auth)
    assert edited.json()["data"]["book"]["average_rating"] == 3.5
    flagged = await client.post(f"/api/v1/reviews/{review_id}/flag", json={"reason": "spoilers"},
                                headers=other)  # fmt: skip
    assert flagged.status_code == 202
    await client.post(f"/api/v1/reviews/{review_id}/flag", json={}, headers=other)  # once per user
    async with container.core.uow_factory()() as uow:
        stored = await uow.reviews.get(uuid.UUID(review_id))
    assert stored is not None and stored.flags == 1

    deleted = await client.delete(f"/api/v1/reviews/{review_id}", headers=auth)
    assert deleted.json()["data"] == {"book_id": book, "average_rating": 4.0, "total_reviews": 1}
    assert (await client.get(f"/api/v1/reviews/{review_id}", headers=auth)).status_code == 404
    listing = (await client.get(url, headers=auth)).json()
    assert listing["pagination"] == {"per_page": 20, "page": 1, "total": 1, "pages": 1}
    assert (await client.post(url, json={"rating": 2}, headers=auth)).status_code == 201
    mine = (await client.get("/api/v1/users/reviews", headers=auth)).json()
    assert [r["rating"] for r in mine["data"]] == [2]
    missing = await client.post(f"/api/v1/books/{uuid.uuid4()}/reviews", json={"rating": 3},
                                headers=auth)  # fmt: skip
    assert missing.status_code == 404


async def test_posting_reviews_is_rate_limited_per_user(tmp_path: Path) -> None:
    from litestar.testing import AsyncTestClient

    from entrypoints.http.app import create_app

    container = memory_container(memory_settings(tmp_path, reviews_per_hour=2))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        books = await seed(container, "A", "B", "C")
        codes = [
            (await client.post(f"/api/v1/books/{b}/reviews", json={"rating": 4}, headers=auth))
            for b in books
        ]
        assert [r.status_code for r in codes] == [201, 201, 429]
        assert int(codes[-1].headers["retry-after"]) > 0
        other = await register_and_login(client, "bob@example.com")
        ok = await client.post(f"/api/v1/books/{books[2]}/reviews", json={"rating": 4},
                               headers=other)  # fmt: skip
        assert ok.status_code == 201


async def test_favorites(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    dune, hobbit = await seed(container, "Dune", "The Hobbit")
    assert (await client.post(f"/api/v1/users/favorites/{dune}", headers=auth)).status_code == 201
    again = await client.post(f"/api/v1/users/favorites/{dune}", headers=auth)
    assert again.json()["message"] == "already a favourite"
    await client.post(f"/api/v1/users/favorites/{hobbit}", headers=auth)
    listing = (await client.get("/api/v1/users/favorites", headers=auth)).json()
    assert {b["id"] for b in listing["data"]} == {dune, hobbit}
    assert listing["pagination"]["total"] == 2
    assert (await client.delete(f"/api/v1/users/favorites/{dune}", headers=auth)).status_code == 200
    assert (await client.delete(f"/api/v1/users/favorites/{dune}", headers=auth)).status_code == 404
    unknown = await client.post(f"/api/v1/users/favorites/{uuid.uuid4()}", headers=auth)
    assert unknown.status_code == 404


async def test_catalogue_pages_keep_the_old_keys(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    await seed(container, "C", "A", "B")
    body = (await client.get("/api/v1/books?page=2&per_page=2", headers=auth)).json()
    assert body["success"] is True
    assert body["pagination"] == {"per_page": 2, "page": 2, "total": 3, "pages": 2}
    assert [b["title"] for b in body["data"]] == ["C"]
    assert (body["items"], body["total"], body["limit"], body["offset"]) == (body["data"], 3, 2, 2)
    old = (await client.get("/api/v1/books?limit=2&offset=1", headers=auth)).json()
    assert [b["title"] for b in old["items"]] == ["B", "C"]
    newest = (await client.get("/api/v1/books?sort=newest&fields=title", headers=auth)).json()
    assert newest["data"] == [{"title": "B"}, {"title": "A"}, {"title": "C"}]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("fields=id,password", 400, "unknown_field"),
        ("genre=nope", 404, "genre_not_found"),
        ("sort=price", 422, "validation_error"),
        ("min_rating=9", 422, "validation_error"),
        ("cursor=garbage", 400, "invalid_cursor"),
        ("cursor=%25%25%25.x", 400, "invalid_cursor"),
    ],
)
async def test_catalogue_refuses_bad_parameters(
    client: AsyncTestClient[Any], auth: dict[str, str], query: str, status: int, code: str
) -> None:
    response = await client.get(f"/api/v1/books?{query}", headers=auth)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


async def test_cursor_pages_have_no_gaps_or_repeats_while_books_are_added(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    await seed(container, *(f"Book {n:02d}" for n in range(0, 20, 2)))
    seen: list[str] = []
    cursor = ""
    added = False
    while True:
        body = (await client.get(f"/api/v1/books?per_page=3&cursor={cursor}", headers=auth)).json()
        assert set(body["pagination"]) == {"per_page", "next_cursor", "has_more"}
        seen += [b["title"] for b in body["data"]]
        if not added:  # books that sort before and after the cursor appear meanwhile
            await seed(container, "Book 01", "Book 99")
            added = True
        if not body["pagination"]["has_more"]:
            break
        cursor = body["pagination"]["next_cursor"]
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen) and "Book 99" in seen and "Book 01" not in seen
    assert [t for t in seen if t != "Book 99"] == [f"Book {n:02d}" for n in range(0, 20, 2)]

    first = (await client.get("/api/v1/books?per_page=2&cursor=", headers=auth)).json()
    cursor = first["pagination"]["next_cursor"]
    other = await client.get(f"/api/v1/books?per_page=2&sort=newest&cursor={cursor}",
                             headers=auth)  # fmt: skip
    assert other.status_code == 400 and other.json()["error"]["code"] == "invalid_cursor"
    filtered = await client.get(f"/api/v1/books?author=x&cursor={cursor}", headers=auth)
    assert filtered.status_code == 400
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    bad = await client.get(f"/api/v1/books?cursor={tampered}", headers=auth)
    assert bad.status_code == 400


async def test_search_route(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    await seed(container, "Dune", "The Hobbit", "Les Misérables", isbn="9780441013593")
    found = (await client.get("/api/v1/books/search?q=hobit", headers=auth)).json()
    assert [b["title"] for b in found["data"]] == ["The Hobbit"]
    by_isbn = (await client.get("/api/v1/books/search?q=978-0441013593", headers=auth)).json()
    assert by_isbn["data"][0]["title"] == "Dune"
    accents = await client.get("/api/v1/books/search?q=les%20miserables&fields=title",
                               headers=auth)  # fmt: skip
    assert accents.json()["data"] == [{"title": "Les Misérables"}]
    for odd in ['"(', "AND OR", "%22hobbit", "a)b(c"]:
        assert (await client.get(f"/api/v1/books/search?q={odd}", headers=auth)).status_code == 200
    assert (await client.get("/api/v1/books/search", headers=auth)).status_code == 422
    assert (await client.get("/api/v1/books/search?q=", headers=auth)).status_code in (400, 422)


async def test_genres_and_recommendations(
    client: AsyncTestClient[Any], container: Container, auth: dict[str, str]
) -> None:
    one, many, dune = await seed(container, "One Five", "Fifty", "Dune")
    await container.community.tag_book_genres()(uuid.UUID(dune), ["Science fiction", "Fiction"])
    genres = (await client.get("/api/v1/genres", headers=auth)).json()["data"]
    counts = {g["id"]: g["books"] for g in genres}
    assert (counts["science-fiction"], counts["fiction"], counts["fantasy"]) == (1, 1, 0)

    users = [await register_and_login(client, f"u{i}@example.com") for i in range(5)]
    await client.post(f"/api/v1/books/{one}/reviews", json={"rating": 5}, headers=users[0])
    for i, headers in enumerate(users):
        rating = 5 if i < 3 else 4  # average 4.6
        await client.post(f"/api/v1/books/{many}/reviews", json={"rating": rating},
                          headers=headers)  # fmt: skip
    popular = (await client.get("/api/v1/recommendations/popular", headers=auth)).json()
    assert [b["id"] for b in popular["data"]][:2] == [many, one]
    genre = (await client.get("/api/v1/recommendations/genre/fiction", headers=auth)).json()
    assert [b["id"] for b in genre["data"]] == [dune]
    missing = await client.get("/api/v1/recommendations/genre/nope", headers=auth)
    assert missing.status_code == 404

    personal = (await client.get("/api/v1/recommendations/personal", headers=users[0])).json()
    assert personal["data"], "never empty while there are books the user lacks"
    assert {b["id"] for b in personal["data"]}.isdisjoint({one, many})


async def test_a_processed_book_is_filed_under_its_subjects_genres(tmp_path: Path) -> None:
    from dependency_injector import providers
    from litestar.testing import AsyncTestClient

    from adapters.memory.metadata import FakeBookMetadataSource
    from domain.book import Edition
    from entrypoints.http.app import create_app
    from tests.integration.http.conftest import wait_for_job

    isbn = Isbn.parse("9780441013593")
    edition = Edition(isbn, "Dune", ("Frank Herbert",), subjects=("Science fiction", "Epic"))
    container = memory_container(memory_settings(tmp_path))
    container.making.metadata.override(providers.Object(FakeBookMetadataSource([edition])))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        job = (await client.post("/api/v1/books/process", json={"isbn": isbn.value},
                                 headers=auth)).json()  # fmt: skip
        assert (await wait_for_job(client, auth, job["job_id"]))["status"] == "completed"
        genres = (await client.get("/api/v1/genres", headers=auth)).json()["data"]
        assert {g["id"]: g["books"] for g in genres}["science-fiction"] == 1
        listing = (await client.get("/api/v1/books?genre=science-fiction", headers=auth)).json()
        assert [b["title"] for b in listing["data"]] == ["Dune"]
