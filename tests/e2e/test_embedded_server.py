"""The embedded server as a real process: the CLI against it, JSON logs, graceful SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from domain.audio import scan_mp3
from tests.e2e.embedded import BOOKBYTES, EMAIL, PASSWORD, Server, login_headers

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def test_the_cli_drives_a_book_from_isbn_to_audio(server: Server, tmp_path: Path) -> None:
    server.cli("register")
    done = server.cli("process", "978-0-306-40615-7", "--poll-s", "0.1")
    assert "completed: book" in done.stdout
    assert "100%" in done.stderr
    book_id = done.stdout.split("book ")[1].split(",")[0]

    listing = server.cli("books")
    assert book_id in listing.stdout
    chapters = server.cli("chapters", book_id, "--summaries")
    assert "  1. Chapter 1" in chapters.stdout

    target = tmp_path / "one.mp3"
    server.cli("audio", book_id, "1", "-o", str(target))
    assert scan_mp3(target.read_bytes()) is not None

    jobs = server.cli("jobs")
    assert "completed" in jobs.stdout
    assert "ready" in server.cli("status").stdout


def test_a_bad_isbn_exits_non_zero_with_the_apis_message(server: Server) -> None:
    server.cli("register")
    result = server.cli("process", "0-306-40615-3", check=False)
    assert result.returncode == 1
    assert "wrong ISBN-10 check digit" in result.stderr
    assert "invalid_isbn" in result.stderr


def test_missing_credentials_exit_2(server: Server) -> None:
    result = subprocess.run(
        [BOOKBYTES, "jobs", "--url", server.url],
        env={k: v for k, v in server.env.items() if not k.startswith("BOOKBYTES_")},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "no credentials" in result.stderr


def test_a_request_and_the_job_it_starts_share_one_request_id(server: Server) -> None:
    with httpx.Client(base_url=server.url) as client:
        client.post("/api/v1/auth/register", json={"email": EMAIL, "password": PASSWORD})
        token = client.post(
            "/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "trace-me-42"}
        job_id = client.post(
            "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=headers
        ).json()["job_id"]
        deadline = time.monotonic() + 20
        while client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()["status"] != "completed":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    time.sleep(0.3)  # let the last log lines reach the file
    story = [e for e in server.json_logs() if e.get("request_id") == "trace-me-42"]
    events = [e["event"] for e in story]
    assert "request" in events  # the access log line of the POST
    job_lines = [e for e in story if e.get("job_id") == job_id]
    assert any(e["event"] == "job attempt ended" for e in job_lines), events
    access = next(e for e in story if e["event"] == "request")
    assert access["method"] == "POST"
    assert access["status"] == 202
    assert access["duration_ms"] >= 0


def test_sigterm_lets_an_in_flight_request_finish_and_exits_0(server: Server) -> None:
    server.cli("register")
    book_id = server.cli("process", "9780306406157", "--poll-s", "0.1").stdout.split("book ")[1]
    book_id = book_id.split(",")[0]
    with httpx.Client(base_url=server.url) as client:
        token = client.post(
            "/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
        ).json()["access_token"]
        url = f"/api/v1/books/{book_id}/chapters/1/audio"
        headers = {"Authorization": f"Bearer {token}"}
        expected = client.get(url, headers=headers).content
        received = b""
        with client.stream("GET", url, headers=headers) as response:
            for i, chunk in enumerate(response.iter_bytes(chunk_size=4096)):
                if i == 0:
                    server.process.send_signal(signal.SIGTERM)
                time.sleep(0.02)  # a slow reader keeps the request in flight
                received += chunk
    assert received == expected
    assert server.process.wait(timeout=20) == 0


def test_the_embedded_mode_survives_a_restart(tmp_path: Path) -> None:
    first = Server(tmp_path)
    try:
        first.cli("register")
        done = first.cli("process", "9780306406157", "--poll-s", "0.1").stdout
        book_id = done.split("book ")[1].split(",")[0]
    finally:
        assert first.stop() == 0
    second = Server(tmp_path)
    try:
        headers = login_headers(second)
        jobs = httpx.get(f"{second.url}/api/v1/jobs", headers=headers).json()
        assert [j["status"] for j in jobs["items"]] == ["completed"]
        book = httpx.get(f"{second.url}/api/v1/books/{book_id}", headers=headers)
        assert book.status_code == 200
        audio = httpx.get(f"{second.url}/api/v1/books/{book_id}/chapters/1/audio", headers=headers)
        assert scan_mp3(audio.content) is not None
    finally:
        second.stop()


def test_a_job_cut_short_by_a_restart_resumes_without_redoing_chapters(tmp_path: Path) -> None:
    slow = {"FAKE_LATENCY_MS": "700", "CHAPTER_CONCURRENCY": "1", "SHUTDOWN_TIMEOUT_S": "0.5"}
    first = Server(tmp_path, **slow)
    try:
        first.cli("register")
        job_id = first.cli("process", "9780306406157", "--no-wait").stdout.strip()
        headers = login_headers(first)
        deadline = time.monotonic() + 20
        while True:  # wait until at least one chapter is finished, then stop the server
            job = httpx.get(f"{first.url}/api/v1/jobs/{job_id}", headers=headers).json()
            if job["current_step"].startswith("chapters: 1/"):
                break
            assert job["status"] == "processing" or job["status"] == "pending", job
            assert time.monotonic() < deadline, job
            time.sleep(0.05)
        book_id = job["book_id"]
        before = httpx.get(f"{first.url}/api/v1/books/{book_id}/chapters", headers=headers).json()
    finally:
        assert first.stop() == 0
    finished_before = {c["number"]: c["updated_at"] for c in before["items"] if c["audio_url"]}
    assert finished_before, before

    second = Server(tmp_path)
    try:
        headers = login_headers(second)
        deadline = time.monotonic() + 30
        while (job := httpx.get(f"{second.url}/api/v1/jobs/{job_id}", headers=headers).json())[
            "status"
        ] != "completed":
            assert job["status"] == "processing" or job["status"] == "pending", job
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
        assert job["attempts"] == 2
        after = httpx.get(f"{second.url}/api/v1/books/{book_id}/chapters", headers=headers).json()
        assert [c["number"] for c in after["items"]] == [1, 2, 3]
        for chapter in after["items"]:
            if chapter["number"] in finished_before:  # not redone: untouched since the stop
                assert chapter["updated_at"] == finished_before[chapter["number"]]
        assert "resumed unfinished jobs" in second.logs()
    finally:
        second.stop()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"TTS_PROVIDER": "shouting"}, "TTS_PROVIDER"),
        ({"DATABASE_URL": "mysql://nope"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test"},
            "JWT_SECRET_KEY",
        ),
    ],
)
def test_a_bad_setting_stops_serve_with_a_message_naming_it(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in ("JWT_SECRET_KEY", "QUEUE_URL")}
    result = subprocess.run(
        [BOOKBYTES, "serve"],
        env={**clean, "DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "configuration error" in result.stderr
    assert variable in result.stderr


def test_process_local_runs_a_book_without_a_server(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QUEUE_URL")},
        "DATA_DIR": str(tmp_path),
        "METADATA_PROVIDER": "memory",
        "LLM_PROVIDER": "memory",
        "TTS_PROVIDER": "memory",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [BOOKBYTES, "process", *args, "--local", "--poll-s", "0.05"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    done = run("9780306406157")
    assert done.returncode == 0, done.stderr
    assert "completed: book" in done.stdout
    assert "100% completed" in done.stderr
    assert (tmp_path / "bookbytes.db").exists()
    bad = run("0-306-40615-3")
    assert bad.returncode == 1
    assert "invalid_isbn" in bad.stderr
