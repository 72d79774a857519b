"""The community feature as a new user meets it, against a real embedded server (SQLite):
three users favourite and review books, search with a typo, page by cursor while books are
being added, and get personal picks made by the background refresh, minus what they have."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from domain.isbn import isbn13_check_digit
from tests.e2e.embedded import PASSWORD, Server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e


def isbn(n: int) -> str:
    body = f"978000000{n:03d}"
    return body + isbn13_check_digit(body)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path, COMMUNITY_REFRESH_S="0.3")
    try:
        yield running
    finally:
        running.stop()


def account(client: httpx.Client, email: str) -> dict[str, str]:
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    answer = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def make_book(client: httpx.Client, headers: dict[str, str], n: int) -> str:
    job = client.post("/api/v1/books/process", json={"isbn": isbn(n)}, headers=headers).json()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers).json()
        if state["status"] == "completed":
            return str(state["book_id"])
        assert state["status"] in ("pending", "processing"), state
        time.sleep(0.05)
    raise AssertionError("the book was not made in time")


def test_three_new_users_meet_the_community(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        ada, bob, cy = (account(client, f"{n}@example.com") for n in ("ada", "bob", "cy"))
        books = {n: make_book(client, ada, n) for n in (10, 20, 30, 40, 50, 60)}

        for who, liked in ((ada, (10, 20, 30)), (bob, (10, 20, 30, 40)), (cy, (10,))):
            for n in liked:
                answer = client.post(f"/api/v1/users/favorites/{books[n]}", headers=who)
                assert answer.status_code == 201, answer.text
        for who, rating in ((ada, 5), (bob, 4), (cy, 2)):
            body = {"rating": rating, "text": "<b>ok</b>"}
            posted = client.post(f"/api/v1/books/{books[50]}/reviews", json=body, headers=who)
            assert posted.status_code == 201, posted.text
        rated = posted.json()["data"]["book"]
        assert (rated["average_rating"], rated["total_reviews"]) == (3.67, 3)
        assert client.post(f"/api/v1/books/{books[50]}/reviews", json={"rating": 1},
                           headers=cy).status_code == 409  # fmt: skip

        found = client.get("/api/v1/books/search?q=writter", headers=cy).json()["data"]
        assert len(found) == 6  # "Ada Writer" wrote them all; one typo is forgiven
        assert (
            client.get(f"/api/v1/books/search?q={isbn(30)}", headers=cy).json()["data"][0]["id"]
            == books[30]
        )

        seen: list[str] = []
        cursor, added = "", False
        while True:
            page: dict[str, Any] = client.get(
                f"/api/v1/books?per_page=2&cursor={cursor}&fields=id,title", headers=cy
            ).json()
            seen += [b["title"] for b in page["data"]]
            if not added:
                make_book(client, ada, 5)  # sorts before the cursor: never shows up
                make_book(client, ada, 99)  # sorts after it: shows up once
                added = True
            if not page["pagination"]["has_more"]:
                break
            cursor = page["pagination"]["next_cursor"]
        assert seen == sorted(set(seen)) and len(seen) == 7
        assert f"Book {isbn(99)}" in seen and f"Book {isbn(5)}" not in seen

        mine = {books[10], books[50]}
        deadline = time.monotonic() + 20
        while True:
            picks = client.get("/api/v1/recommendations/personal?limit=3", headers=cy).json()
            ids = [b["id"] for b in picks["data"]]
            assert not mine & set(ids), "never what one already has"
            if ids[:2] in ([books[20], books[30]], [books[30], books[20]]) and ids[2] == books[40]:
                break  # liked by those who like what cy likes, the closest first
            assert time.monotonic() < deadline, (ids, server.logs()[-2000:])
            time.sleep(0.2)
