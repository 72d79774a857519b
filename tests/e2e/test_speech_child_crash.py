"""A speech engine's native code dying mid-book fails one chapter, never the server.

espeak-ng runs in a child process (adapters/native). The test kills that child with
SIGKILL while a job is speaking its chapters: the chapter's attempt fails with a retryable
``native_engine_crashed``, the job runner retries the job, finished chapters are kept, and
the job completes while the server keeps answering.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from domain.audio import scan_mp3
from tests.e2e.embedded import Server, login_headers

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.e2e


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        frontier += children
    return found


def speech_children(server_pid: int) -> list[int]:
    """The engine's worker processes: forked by the multiprocessing fork server (or spawned),
    never the fork server or the resource tracker themselves."""
    workers = []
    for pid in descendants(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        helper = b"resource_tracker" in cmdline
        under_forkserver = parent != server_pid
        spawned = b"spawn_main" in cmdline
        if not helper and (under_forkserver or spawned):
            workers.append(pid)
    return workers


def wait_for(check: Callable[[], object], timeout_s: float, what: str) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def test_killing_the_speech_child_mid_book_retries_the_job_and_the_server_stays_up(
    tmp_path: Path,
) -> None:
    server = Server(
        tmp_path,
        TTS_PROVIDER="espeak",
        FAKE_LATENCY_MS="400",
        CHAPTER_CONCURRENCY="1",
        JOB_RETRY_DELAY_S="0.2",
    )
    try:
        server.cli("register")
        headers = login_headers(server)
        job_id = server.cli("process", "9780306406157", "--no-wait").stdout.strip()

        child = wait_for(lambda: speech_children(server.process.pid), 20, "the espeak child")
        assert isinstance(child, list)
        for pid in child:
            os.kill(pid, signal.SIGKILL)

        def finished() -> dict[str, object] | None:
            job = httpx.get(f"{server.url}/api/v1/jobs/{job_id}", headers=headers).json()
            assert httpx.get(f"{server.url}/health/live").status_code == 200
            return job if job["status"] in ("completed", "failed", "cancelled") else None

        job = wait_for(finished, 30, "the job to finish")
        assert isinstance(job, dict)
        assert job["status"] == "completed", job
        assert job["attempts"] == 2, job
        assert server.process.poll() is None
        assert "native_engine_crashed" in server.logs()
        book = job["result"]["book_id"]  # type: ignore[index]
        audio = httpx.get(f"{server.url}/api/v1/books/{book}/chapters/3/audio", headers=headers)
        assert audio.status_code == 200
        assert scan_mp3(audio.content) is not None
    finally:
        assert server.stop() == 0
