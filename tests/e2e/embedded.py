"""`bookbytes serve` in the embedded mode as a real process, for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

BOOKBYTES = str(Path(sys.executable).with_name("bookbytes"))
EMAIL, PASSWORD = "cli@example.com", "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """`bookbytes serve` in a subprocess, its stderr captured to a file."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "server.log"
        self.env = {
            **os.environ,
            "DATA_DIR": str(tmp_path / "data"),
            "METADATA_PROVIDER": "memory",
            "JOBS_PER_MINUTE": "1000",
            "LLM_PROVIDER": "memory",
            "TTS_PROVIDER": "memory",
            "PORT": str(self.port),
            "LOG_FORMAT": "json",
            "SHUTDOWN_TIMEOUT_S": "10",
            **env,
        }
        self.env.pop("QUEUE_URL", None)
        self.env.pop("DATABASE_URL", None)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [BOOKBYTES, "serve"], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_ready()

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early:\n{self.logs()}")
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not ready in {timeout_s} s:\n{self.logs()}")

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def json_logs(self) -> list[dict[str, Any]]:
        entries = []
        for line in self.logs().splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
        return entries

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "BOOKBYTES_EMAIL": EMAIL, "BOOKBYTES_PASSWORD": PASSWORD}
        result = subprocess.run(
            [BOOKBYTES, *args, "--url", self.url],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if check:
            assert result.returncode == 0, (result.stdout, result.stderr, self.logs())
        return result

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def login_headers(server: Server) -> dict[str, str]:
    token = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def dev_workspace(root: Path, tmp_path: Path) -> Path:
    """A fresh directory where ``bash .ci/dev`` and ``.venv/bin/bookbytes`` work as in ``root``.

    It links the checkout's ``.ci`` and install inputs, and ``.venv`` to this interpreter's
    environment, so what runs there writes its ``data/`` and files in ``tmp_path`` only.
    """
    for name in (".ci", "pyproject.toml", "constraints.txt"):
        (tmp_path / name).symlink_to(root / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path
