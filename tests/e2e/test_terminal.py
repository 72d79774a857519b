"""The `bookbytes` command at a terminal: exit codes, Ctrl-C, the bar's width, log format.

Terminals are real pseudo-terminals (``pty``) with a set window size.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx
import pytest

from tests.e2e.embedded import (
    BOOKBYTES,
    EMAIL,
    PASSWORD,
    Server,
    dev_workspace,
    free_port,
    login_headers,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SLOW = {"FAKE_LATENCY_MS": "2500", "CHAPTER_CONCURRENCY": "1", "SHUTDOWN_TIMEOUT_S": "1"}


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path, **SLOW)
    try:
        running.cli("register")
        yield running
    finally:
        running.stop()


def terminal(columns: int) -> tuple[int, int]:
    """A pseudo-terminal ``columns`` wide: (master, slave) file descriptors."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return master, slave


def read_until(master: int, done: Callable[[str], bool], timeout_s: float = 30) -> str:
    """What the terminal showed until ``done(text)`` or the writer closed it."""
    text, deadline = b"", time.monotonic() + timeout_s
    while time.monotonic() < deadline and not done(text.decode(errors="replace")):
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every writer has closed the terminal
                break
            if not chunk:
                break
            text += chunk
    return text.decode(errors="replace")


def no_server_env() -> dict[str, str]:
    return {
        **os.environ,
        "BOOKBYTES_EMAIL": EMAIL,
        "BOOKBYTES_PASSWORD": PASSWORD,
        "BOOKBYTES_URL": f"http://127.0.0.1:{free_port()}",
    }


@pytest.mark.parametrize("command", [("status",), ("books",), ("jobs",), ("process", "123")])
def test_no_server_at_the_url_exits_2_as_the_readme_says(command: tuple[str, ...]) -> None:
    result = subprocess.run(
        [BOOKBYTES, *command], env=no_server_env(), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2, result.stderr
    assert "cannot reach http://127.0.0.1:" in result.stderr
    assert "BOOKBYTES_URL" in result.stderr
    readme = (ROOT / "README.md").read_text()
    assert "2 usage or connection error" in readme


def start_process(server: Server, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """`bookbytes process` following a new job; returns the process and the job id."""
    env = {**server.env, "BOOKBYTES_EMAIL": EMAIL, "BOOKBYTES_PASSWORD": PASSWORD}
    follower = subprocess.Popen(
        [BOOKBYTES, "process", "9780306406157", "--url", server.url, "--poll-s", "0.1", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert follower.stderr is not None
    first = follower.stderr.readline()
    assert first.startswith("job "), first
    job_id = first.split()[1]
    wait_for_line(follower.stderr, "processing")
    return follower, job_id


def wait_for_line(stream: IO[str], text: str) -> None:
    for line in stream:
        if text in line:
            return
    raise AssertionError(f"no line with {text!r}")


def job_status(server: Server, job_id: str) -> str:
    job = httpx.get(f"{server.url}/api/v1/jobs/{job_id}", headers=login_headers(server)).json()
    return str(job["status"])


def test_ctrl_c_says_the_job_keeps_running_and_how_to_cancel_it(slow_server: Server) -> None:
    follower, job_id = start_process(slow_server)
    follower.send_signal(signal.SIGINT)
    _, err = follower.communicate(timeout=30)
    assert follower.returncode == 130
    assert f"job {job_id} keeps running on the server" in err
    assert f"bookbytes cancel {job_id}" in err
    assert f"/api/v1/jobs/{job_id}/cancel" in err
    assert "Traceback" not in err
    assert job_status(slow_server, job_id) == "processing"

    cancelled = slow_server.cli("cancel", job_id)
    assert f"job {job_id} cancelled" in cancelled.stdout
    assert job_status(slow_server, job_id) == "cancelled"


def test_cancel_on_exit_cancels_the_job_on_ctrl_c(slow_server: Server) -> None:
    follower, job_id = start_process(slow_server, "--cancel-on-exit")
    follower.send_signal(signal.SIGINT)
    _, err = follower.communicate(timeout=30)
    assert follower.returncode == 130
    assert f"job {job_id} cancelled" in err
    assert job_status(slow_server, job_id) == "cancelled"


def test_the_progress_bar_fits_a_narrow_terminal(tmp_path: Path) -> None:
    server = Server(tmp_path, FAKE_LATENCY_MS="300", CHAPTER_CONCURRENCY="1")
    try:
        server.cli("register")
        master, slave = terminal(columns=36)
        env = {**server.env, "BOOKBYTES_EMAIL": EMAIL, "BOOKBYTES_PASSWORD": PASSWORD}
        env.pop("COLUMNS", None)
        with (tmp_path / "stdout").open("w") as stdout:  # stdout is not the terminal
            follower = subprocess.Popen(
                [BOOKBYTES, "process", "9780306406157", "--url", server.url, "--poll-s", "0.05"],
                env=env,
                stdout=stdout,
                stderr=slave,
            )
        os.close(slave)
        shown = read_until(master, lambda text: False, timeout_s=60)
        os.close(master)
        assert follower.wait(timeout=30) == 0
    finally:
        server.stop()
    drawn = [ANSI.sub("", part) for part in re.split(r"[\r\n]", shown)]
    bars = [part for part in drawn if "%" in part]
    assert any("chapters" in part for part in bars), drawn
    assert any("100% completed" in part for part in bars), drawn
    # A redrawn line longer than the width would wrap, and "\r" would redraw only its tail.
    assert max(len(part) for part in bars) <= 35, [p for p in bars if len(p) > 35]


def test_register_twice_is_fine_with_the_same_password(tmp_path: Path) -> None:
    server = Server(tmp_path)
    try:
        assert "registered cli@example.com" in server.cli("register").stdout
        again = server.cli("register")
        assert "already registered" in again.stdout
        other = server.cli("register", "--password", "another password 123", check=False)
        assert other.returncode == 1
        assert "already registered with another password" in other.stderr
    finally:
        server.stop()


def test_dev_serve_in_a_terminal_logs_for_people(tmp_path: Path) -> None:
    cwd = dev_workspace(ROOT, tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT", "QUEUE_URL")}
    env = {**env, "PORT": str(free_port()), "LLM_PROVIDER": "memory"}
    env.pop("DATABASE_URL", None)
    master, slave = terminal(columns=120)
    server = subprocess.Popen(
        ["bash", ".ci/dev", "serve"],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    try:
        shown = read_until(master, lambda text: "Uvicorn running on" in text, timeout_s=60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        read_until(master, lambda text: False, timeout_s=2)
        os.close(master)
    lines = [ANSI.sub("", line) for line in shown.splitlines() if line.strip()]
    assert any("Uvicorn running on" in line for line in lines), shown
    assert not any(line.lstrip().startswith("{") for line in lines), shown
    assert any("[info" in line for line in lines), shown


def test_serve_without_a_terminal_still_logs_json(tmp_path: Path) -> None:
    server = Server(tmp_path, LOG_FORMAT="")  # empty counts as unset: auto
    try:
        assert server.json_logs()
        assert all(line.startswith("{") for line in server.logs().splitlines() if line.strip())
    finally:
        server.stop()


def test_ctrl_c_in_a_local_run_says_how_to_finish_the_job(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QUEUE_URL")}
    env = {**env, "DATA_DIR": str(tmp_path), "BOOKBYTES_ENV_FILE": "none", **SLOW}
    env |= {"METADATA_PROVIDER": "memory", "LLM_PROVIDER": "memory", "TTS_PROVIDER": "memory"}
    local = subprocess.Popen(
        [BOOKBYTES, "process", "9780306406157", "--local", "--poll-s", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert local.stderr is not None
    wait_for_line(local.stderr, "processing")
    local.send_signal(signal.SIGINT)
    _, err = local.communicate(timeout=30)
    assert local.returncode == 130
    assert "interrupted; the job stopped with this process" in err
    assert "Traceback" not in err
