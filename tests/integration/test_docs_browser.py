"""/docs renders our OpenAPI 3.1 document in a real headless browser, with no internet.

Swagger UI 4 fetched and parsed the document, then showed "Unable to render this definition"
for 3.1; only a browser running the page's JavaScript sees that. This starts `bookbytes
serve`, loads /docs in Debian's chromium and reads the DOM after the scripts ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.support.require import unavailable

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.e2e

BOOKBYTES = str(Path(sys.executable).with_name("bookbytes"))
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=10000",
)


def chromium() -> str:
    """The chromium executable (Debian's package, never a downloaded browser)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    unavailable("chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The base URL of `bookbytes serve` on a free port (embedded mode, fakes for the world)."""
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bookbytes.db'}",
        "METADATA_PROVIDER": "memory",
        "LLM_PROVIDER": "memory",
        "TTS_PROVIDER": "memory",
        "JWT_SECRET_KEY": "d" * 48,
    }
    env.pop("QUEUE_URL", None)
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [BOOKBYTES, "serve"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"the server exited:\n{log_path.read_text()}"
            try:
                if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"no answer in 30 s:\n{log_path.read_text()}"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rendered_dom(browser: str, url: str, profile: Path) -> str:
    """The DOM of ``url`` after chromium ran its scripts (up to 10 s of virtual time)."""
    done = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(profile)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_docs_page_renders_every_operation_in_a_browser(server: str, tmp_path: Path) -> None:
    browser = chromium()

    dom = rendered_dom(browser, f"{server}/docs", tmp_path / "chromium")

    assert "Unable to render this definition" not in dom
    assert "OAS 3.1" in dom  # the version badge: Swagger UI read the document
    for text in ("processBook", "/api/v1/books/process", "listJobs", "/api/v1/jobs/{job_id}"):
        assert text in dom, f"{text!r} is not on the rendered /docs page"
