"""Expensive operations are limited per user: JOBS_PER_MINUTE job submissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from tests.integration.http.conftest import memory_container, memory_settings, register_and_login

if TYPE_CHECKING:
    from pathlib import Path

ISBNS = ["9780306406157", "9780140449136", "9780262033848", "9780131103627"]


async def test_submissions_over_the_limit_are_429_with_retry_after(tmp_path: Path) -> None:
    container = memory_container(memory_settings(tmp_path, jobs_per_minute=3))
    async with AsyncTestClient(app=create_app(container)) as client:
        ada = await register_and_login(client, "ada@example.com")
        bob = await register_and_login(client, "bob@example.com")

        async def submit(auth: dict[str, str], isbn: str) -> Any:
            return await client.post("/api/v1/books/process", json={"isbn": isbn}, headers=auth)

        accepted = [await submit(ada, isbn) for isbn in ISBNS[:3]]
        refused = await submit(ada, ISBNS[3])
        others = await submit(bob, ISBNS[3])
        jobs = (await client.get("/api/v1/jobs", headers=ada)).json()
    assert [r.status_code for r in accepted] == [202, 202, 202]
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert others.status_code == 202  # the limit is per user
    assert jobs["total"] == 3  # nothing was created for the refused request
