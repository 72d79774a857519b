"""End to end: the API and two SAQ worker processes on PostgreSQL and Redis.

The memory providers stand in for the outside world; each chapter's summary takes 1.5 s
(FAKE_LATENCY_MS) and chapters run one at a time, so a three-chapter book is "in the
middle" for a few seconds: long enough to kill, stop or cancel it there. Chapter rows
(with their audio in the book's one rendition) are read straight from the database: one
per number, and a chapter finished before a crash keeps its row untouched (same id, same
updated_at: it was not summarised again).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.e2e.cluster import Api, Process, isbn13, run_async, wait_for
from tests.support.redis_db import claimed_database

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.e2e.cluster import Cluster, Process

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHAPTERS = 3
ChapterRow = tuple[uuid.UUID, Any, bool]  # id, updated_at, complete


@pytest.fixture(scope="module")
def api(cluster: Cluster) -> Iterator[Api]:
    """A registered, logged-in user of the cluster's API."""
    client = Api(cluster.base_url, f"e2e-{uuid.uuid4().hex[:8]}@example.com")
    try:
        yield client
    finally:
        client.close()


def chapter_rows(cluster: Cluster, book_id: str) -> dict[int, list[ChapterRow]]:
    """The book's chapter rows by number (a list, so a duplicate would show)."""
    import asyncpg

    async def fetch() -> list[Any]:
        dsn = cluster.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        connection = await asyncpg.connect(dsn)
        try:
            return list(
                await connection.fetch(
                    "SELECT c.chapter_number, c.id, c.updated_at, a.audio_key "
                    "FROM chapters c LEFT JOIN renditions r ON r.book_id = c.book_id "
                    "LEFT JOIN chapter_audio a "
                    "ON a.rendition_id = r.id AND a.chapter_number = c.chapter_number "
                    "WHERE c.book_id = $1 ORDER BY c.chapter_number",
                    uuid.UUID(book_id),
                )
            )
        finally:
            await connection.close()

    rows: dict[int, list[ChapterRow]] = {}
    for row in run_async(fetch()):
        rows.setdefault(row["chapter_number"], []).append(
            (row["id"], row["updated_at"], row["audio_key"] is not None)
        )
    return rows


def completed(rows: dict[int, list[ChapterRow]]) -> dict[int, ChapterRow]:
    return {n: found[0] for n, found in rows.items() if found[0][2]}


def assert_every_chapter_once(cluster: Cluster, book_id: str) -> dict[int, list[ChapterRow]]:
    rows = chapter_rows(cluster, book_id)
    assert sorted(rows) == list(range(1, CHAPTERS + 1))
    assert all(len(found) == 1 and found[0][2] for found in rows.values()), rows
    return rows


def mid_book(cluster: Cluster, api: Api, job_id: str) -> tuple[Process, str, dict[int, ChapterRow]]:
    """Wait until a worker runs the job with some, not all, chapters done."""

    def check() -> tuple[Process, str, dict[int, ChapterRow]] | None:
        job = api.job(job_id)
        assert job["status"] in {"pending", "processing"}, f"missed the middle: {job}"
        owner = cluster.worker_running(job_id)
        if owner is None or job["book_id"] is None:
            return None
        done = completed(chapter_rows(cluster, job["book_id"]))
        return (owner, job["book_id"], done) if 0 < len(done) < CHAPTERS else None

    found: tuple[Process, str, dict[int, ChapterRow]] = wait_for(check, 30, "the middle of a book")
    return found


def test_books_complete_once_and_a_duplicate_submission_gets_the_same_job(
    cluster: Cluster, api: Api
) -> None:
    isbns = [isbn13(100_000 + n) for n in range(3)]
    submitted = [api.submit(isbn) for isbn in isbns]
    assert all(job["created"] for job in submitted)

    again = api.submit(isbns[0])

    assert again["job_id"] == submitted[0]["job_id"]
    assert again["created"] is False
    for job in submitted:
        done = api.wait_status(job["job_id"], "completed", timeout_s=60)
        assert done["progress"] == 100
        assert done["attempts"] == 1
        assert done["result"]["chapters"] == CHAPTERS
        assert_every_chapter_once(cluster, done["book_id"])


def test_cancelling_an_active_job_stops_it_and_keeps_finished_chapters(
    cluster: Cluster, api: Api
) -> None:
    job_id = api.submit(isbn13(200_000))["job_id"]
    _, book_id, done_before = mid_book(cluster, api, job_id)

    assert api.cancel(job_id)["status"] == "cancelled"

    wait_for(
        lambda: (cluster.saq_job(job_id) or {}).get("status") == "aborted",
        10,
        "the worker to abort the running task",
    )
    time.sleep(2)
    job = api.job(job_id)
    assert job["status"] == "cancelled"
    assert job["current_step"] == "cancelled"
    after = completed(chapter_rows(cluster, book_id))
    assert {n: after.get(n) for n in done_before} == done_before
    assert len(after) < CHAPTERS


def test_a_job_survives_kill_9_of_its_worker_without_redoing_chapters(
    cluster: Cluster, api: Api
) -> None:
    job_id = api.submit(isbn13(300_000))["job_id"]
    owner, book_id, done_before = mid_book(cluster, api, job_id)

    cluster.kill(owner, signal.SIGKILL)

    job = api.wait_status(job_id, "completed", timeout_s=90)
    assert job["attempts"] >= 2
    rows = assert_every_chapter_once(cluster, book_id)
    assert {n: rows[n][0] for n in done_before} == done_before
    cluster.start_worker()  # a replacement, so two workers run the next test


def test_a_job_survives_sigterm_of_its_worker(cluster: Cluster, api: Api) -> None:
    job_id = api.submit(isbn13(400_000))["job_id"]
    owner, book_id, done_before = mid_book(cluster, api, job_id)
    started = time.monotonic()

    cluster.kill(owner, signal.SIGTERM)

    assert owner.popen.wait(timeout=20) == 0
    assert time.monotonic() - started < 15  # 1 s grace, then re-queued at once
    api.wait_status(job_id, "completed", timeout_s=60)
    rows = assert_every_chapter_once(cluster, book_id)
    assert {n: rows[n][0] for n in done_before} == done_before


def test_the_request_id_follows_the_job_into_the_worker(cluster: Cluster, api: Api) -> None:
    response = api.http.post(
        "/api/v1/books/process",
        json={"isbn": isbn13(500_000)},
        headers={"X-Request-ID": "e2e-trace-7"},
    )
    assert response.headers["x-request-id"] == "e2e-trace-7"
    job_id = response.json()["job_id"]
    api.wait_status(job_id, "completed", timeout_s=60)
    time.sleep(0.5)  # let the worker's last lines reach its log file

    def traced(process: Process) -> list[dict[str, Any]]:
        entries = []
        for line in process.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("request_id") == "e2e-trace-7":
                    entries.append(entry)
        return entries

    assert cluster.api is not None
    api_story = traced(cluster.api)
    assert any(e["event"] == "request" and e["status"] == 202 for e in api_story), api_story
    worker_story = [e for p in cluster.workers + cluster.stopped for e in traced(p)]
    assert any(e["event"] == "job attempt ended" and e["job_id"] == job_id for e in worker_story), (
        cluster.logs()
    )


def test_the_compose_worker_healthcheck_passes_only_with_a_live_worker(
    cluster: Cluster, redis_url: str
) -> None:
    compose = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())
    kind, python, flag, code = compose["services"]["worker"]["healthcheck"]["test"]
    assert (kind, python, flag) == ("CMD", "python", "-c")
    cluster.start_worker()  # one that surely runs, whatever the tests before did

    def check(queue_url: str) -> int:
        env = {"PATH": os.environ.get("PATH", ""), "QUEUE_URL": queue_url}
        return subprocess.run([sys.executable, "-c", code], env=env, timeout=30).returncode

    assert check(cluster.redis_url) == 0
    assert check("redis://127.0.0.1:1/0") != 0  # Redis unreachable
    with claimed_database(redis_url) as no_workers:
        assert check(no_workers) == 1
