"""Real BookBytes processes for end-to-end tests: the API, SAQ workers, their logs.

The cluster runs ``bookbytes serve`` and ``bookbytes worker`` as subprocesses (each in a
session of its own, its output in a log file) against a fresh PostgreSQL database and a
Redis database of their own. ``close`` kills whatever is still running.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

BOOKBYTES = str(Path(sys.executable).with_name("bookbytes"))
QUEUE_NAME = "bookbytes"


def run_async(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion on a loop of its own, in a thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def isbn13(seed: int) -> str:
    """A valid ISBN-13 made from ``seed``."""
    body = f"978{seed % 10**9:09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def wait_for(check: Callable[[], Any], timeout_s: float, what: str, every_s: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(every_s)


@dataclass
class Process:
    """One running subprocess and its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Cluster:
    """The API, the workers and what they share: environment, database URL, Redis URL."""

    env: dict[str, str]
    database_url: str
    redis_url: str
    log_dir: Path
    port: int = field(default_factory=free_port)
    api: Process | None = None
    workers: list[Process] = field(default_factory=list)
    stopped: list[Process] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str, timeout_s: float = 60) -> None:
        """Run a bookbytes command to completion (e.g. ``db upgrade``)."""
        done = subprocess.run(
            [BOOKBYTES, *args], env=self.env, capture_output=True, timeout=timeout_s, check=False
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")

    def _spawn(self, name: str, *args: str) -> Process:
        log_path = self.log_dir / f"{name}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                [BOOKBYTES, *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return Process(name, popen, log_path)

    def start_api(self) -> None:
        """Start ``bookbytes serve`` and wait until it is ready."""
        self.api = self._spawn("api", "serve", "--port", str(self.port))

        def ready() -> bool:
            assert self.api is not None and self.api.alive(), "the API exited"
            try:
                return httpx.get(f"{self.base_url}/health/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, 30, "the API to be ready", every_s=0.2)

    def start_worker(self) -> Process:
        """Start ``bookbytes worker`` and wait until it has registered with SAQ."""
        worker = self._spawn(f"worker-{len(self.workers) + len(self.stopped) + 1}", "worker")
        self.workers.append(worker)
        wait_for(lambda: self.worker_registered(worker), 30, f"{worker.name} to start", every_s=0.2)
        return worker

    def worker_registered(self, worker: Process) -> bool:
        assert worker.alive(), f"{worker.name} exited:\n{worker.log_tail()}"
        return any(f".{worker.pid}." in key for key in self.redis_keys("worker_info:*"))

    def redis_keys(self, pattern: str) -> list[str]:
        import redis

        with redis.Redis.from_url(self.redis_url) as client:
            return [k.decode() for k in client.keys(f"saq:{QUEUE_NAME}:{pattern}")]

    def saq_job(self, job_id: str) -> dict[str, Any] | None:
        """SAQ's record of a job (to see which worker runs it)."""
        import redis

        with redis.Redis.from_url(self.redis_url) as client:
            raw = client.get(f"saq:job:{QUEUE_NAME}:{job_id}")
        return None if raw is None else dict(json.loads(raw))

    def worker_running(self, job_id: str) -> Process | None:
        """The live worker whose SAQ record says it runs ``job_id`` now."""
        record = self.saq_job(job_id)
        if record is None or record.get("status") != "active":
            return None
        owner = str(record.get("worker_id", ""))
        return next((w for w in self.workers if f".{w.pid}." in owner), None)

    def kill(self, worker: Process, sig: signal.Signals) -> None:
        """Send ``sig`` to a worker; it no longer counts as one of the workers."""
        os.kill(worker.pid, sig)
        self.workers.remove(worker)
        self.stopped.append(worker)

    def processes(self) -> list[Process]:
        return [p for p in (self.api, *self.workers, *self.stopped) if p is not None]

    def logs(self) -> str:
        return "\n".join(f"===== {p.name} =====\n{p.log_tail()}" for p in self.processes())

    def close(self) -> None:
        """Stop every process: SIGTERM, then SIGKILL what is still up after 10 s."""
        running = [p for p in self.processes() if p.alive()]
        for process in running:
            process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in running:
            try:
                process.popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait(5)


class Api:
    """A logged-in HTTP client of the cluster's API."""

    def __init__(self, base_url: str, email: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        password = "e2e-password-123"
        created = self.http.post(
            "/api/v1/auth/register", json={"email": email, "password": password}
        )
        assert created.status_code == 201, created.text
        login = self.http.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"

    def submit(self, isbn: str) -> dict[str, Any]:
        response = self.http.post("/api/v1/books/process", json={"isbn": isbn})
        assert response.status_code == 202, response.text
        return dict(response.json())

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.http.get(f"/api/v1/jobs/{job_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def cancel(self, job_id: str) -> dict[str, Any]:
        response = self.http.post(f"/api/v1/jobs/{job_id}/cancel")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def wait_status(self, job_id: str, status: str, timeout_s: float) -> dict[str, Any]:
        """Poll the job until it has ``status``; fail early if it ends otherwise."""

        def check() -> dict[str, Any] | None:
            job = self.job(job_id)
            if job["status"] == status:
                return job
            if job["status"] in {"completed", "failed", "cancelled"}:
                raise AssertionError(f"job ended {job['status']}, wanted {status}: {job}")
            return None

        result: dict[str, Any] = wait_for(check, timeout_s, f"job {job_id} to be {status}", 0.2)
        return result

    def close(self) -> None:
        self.http.close()
