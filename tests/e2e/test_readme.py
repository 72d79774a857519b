"""The README's "Try it" section, run verbatim against a fresh embedded server.

The section's ```sh blocks are taken in order. The one that starts the server (``bash
.ci/dev serve``) runs in the background, on a free port (PORT, as the README says) with the
pasting terminal pointed at it (BOOKBYTES_URL); every other block then runs in one bash
(like one terminal) under ``set -euo pipefail``. The blocks run in a fresh directory that
sees the checkout's ``.ci``, ``.venv`` and install inputs, so ``data/`` and the downloaded
files are new and the checkout is untouched. ``curl`` fails on an HTTP error there (it
gets ``--fail-with-body``), so a 4xx the README would only print fails the test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from domain.audio import scan_mp3
from tests.e2e.embedded import dev_workspace, free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SERVE = "bash .ci/dev serve"
STRICT = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n'
# What a developer's shell might hold that the README does not set.
UNSET = ("DATABASE_URL", "QUEUE_URL", "DATA_DIR", "JWT_SECRET_KEY", "LOG_FORMAT", "PORT")


def try_it_blocks(markdown: str) -> list[str]:
    """The ```sh blocks of the top-level sections whose title starts with "Try it", in order."""
    blocks: list[str] = []
    for section in re.split(r"^## ", markdown, flags=re.MULTILINE)[1:]:
        if section.startswith("Try it"):
            blocks += re.findall(r"^```sh\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    return blocks


def test_the_try_it_blocks_are_found() -> None:
    blocks = try_it_blocks(README.read_text())
    assert len(blocks) >= 3
    assert sum(SERVE in block for block in blocks) == 1
    assert any("curl" in block for block in blocks)
    assert any("bookbytes process" in block for block in blocks)


def test_the_readme_runs_top_to_bottom(tmp_path: Path) -> None:
    blocks = try_it_blocks(README.read_text())
    serve = next(block for block in blocks if SERVE in block)
    rest = [block for block in blocks if block is not serve]
    cwd = dev_workspace(ROOT, tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env = {k: v for k, v in env.items() if not k.startswith(("BOOKBYTES_", "TTS_", "LLM_"))}
    env.pop("METADATA_PROVIDER", None)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        ["bash", "-c", STRICT + serve],
        cwd=cwd,
        env={**env, "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_ready(server, url, tmp_path / "server.log")
        script = STRICT + "\n".join(rest)
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=cwd,
            env={**env, "BOOKBYTES_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        server_log = (tmp_path / "server.log").read_text(errors="replace")[-4000:]
        assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:], server_log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert "completed 100" in done.stdout  # the curl block's poll loop saw the end
    assert "completed: book" in done.stdout  # `bookbytes process` (server and --local)
    assert scan_mp3((cwd / "chapter-1.mp3").read_bytes()) is not None
    assert (cwd / "head.bin").stat().st_size == 100
    assert (cwd / "data" / "bookbytes.db").exists()


def wait_ready(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the README's serve line exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health/ready", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the README's server was not ready in 60 s:\n{log.read_text()}")
