"""A bad start is one line naming what is wrong and how to fix it, and a nonzero exit.

Each case runs the real `bookbytes` command. The offline providers are set so that no
warning shares stderr with the error: stderr must be exactly the one line (the worker's
retry lines aside, which are one JSON line per attempt).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.engine import make_url

from tests.e2e.embedded import BOOKBYTES, free_port
from tests.support.databases import fresh_database, object_name

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

JWT_SECRET = "start-errors-" + "x" * 40


def bookbytes(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "QUEUE_URL", "STORAGE_LOCAL_PATH", "LOG_FORMAT")
    }
    return subprocess.run(
        [BOOKBYTES, *args],
        env={
            **base,
            "BOOKBYTES_ENV_FILE": "none",
            "DATA_DIR": str(tmp_path / "data"),
            "METADATA_PROVIDER": "memory",
            "LLM_PROVIDER": "memory",
            "TTS_PROVIDER": "memory",
            "JWT_SECRET_KEY": JWT_SECRET,
            "LOG_FORMAT": "json",
            "PORT": str(free_port()),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str], *, code: int = 1) -> str:
    """The single stderr line of a failed start."""
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("bookbytes: "), lines[0]
    return lines[0]


@pytest.fixture
def missing_database(postgres_url: str) -> str:
    """A URL on the test server naming a database that does not exist."""
    return make_url(postgres_url).set(database=object_name("missing")).render_as_string(False)


def unreachable_database() -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/bookbytes"


@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve",)])
def test_a_missing_postgres_database_is_one_line(
    tmp_path: Path, missing_database: str, command: tuple[str, ...]
) -> None:
    line = one_line(bookbytes(tmp_path, *command, DATABASE_URL=missing_database))
    name = make_url(missing_database).database
    assert f"database {name!r} does not exist" in line
    assert f"createdb -h 127.0.0.1 -p 5432 -U postgres {name}" in line


@pytest.mark.parametrize("command", [("db", "upgrade"), ("serve",), ("db", "downgrade")])
def test_an_unreachable_postgres_server_is_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    line = one_line(bookbytes(tmp_path, *command, DATABASE_URL=unreachable_database()))
    assert "cannot reach the PostgreSQL server at 127.0.0.1:" in line
    assert "DATABASE_URL" in line


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_database_never_migrated_says_to_run_db_upgrade(
    tmp_path: Path, postgres_url: str, command: str
) -> None:
    with fresh_database(postgres_url, "unmigrated") as url:
        line = one_line(bookbytes(tmp_path, command, DATABASE_URL=url, QUEUE_URL="redis://x/0"))
    assert "has no BookBytes tables yet: run `bookbytes db upgrade`" in line


def test_an_unwritable_storage_path_stops_serve_at_start(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")  # as root, a file in the way is what cannot be written
    line = one_line(bookbytes(tmp_path, "serve", STORAGE_LOCAL_PATH=str(blocker / "audio")))
    assert f"STORAGE_LOCAL_PATH '{blocker / 'audio'}' cannot be written" in line


def test_an_unwritable_data_dir_stops_serve_at_start(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    line = one_line(bookbytes(tmp_path, "serve", DATA_DIR=str(blocker / "data")))
    assert f"DATA_DIR '{blocker / 'data'}' cannot be written" in line


def test_an_unwritable_sqlite_directory_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = bookbytes(
        tmp_path, "db", "upgrade", DATABASE_URL=f"sqlite+aiosqlite:///{blocker}/db.sqlite"
    )
    assert "cannot open the SQLite database" in one_line(result)


def test_an_ocr_language_without_a_model_stops_serve_at_start(tmp_path: Path) -> None:
    line = one_line(bookbytes(tmp_path, "serve", OCR_LANGUAGES="eng+klingon"), code=2)
    assert line.startswith("bookbytes: configuration error: OCR_LANGUAGES=eng+klingon: ")
    assert "no Tesseract model for klingon" in line


def test_the_worker_retries_redis_with_backoff_then_exits_1(tmp_path: Path) -> None:
    started = time.monotonic()
    result = bookbytes(
        tmp_path,
        "worker",
        QUEUE_URL=f"redis://127.0.0.1:{free_port()}/0",
        WORKER_CONNECT_TIMEOUT_S="3",
    )
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert took < 30, took
    assert "Traceback" not in result.stderr
    *retries, last = result.stderr.strip().splitlines()
    events = [json.loads(line) for line in retries]
    assert [e["event"] for e in events] == ["Redis not reachable, retrying"] * len(events)
    assert [e["attempt"] for e in events] == list(range(1, len(events) + 1))
    assert len(events) >= 2
    assert [e["retry_in_s"] for e in events[:2]] == [1.0, 2.0]  # backoff
    assert last.startswith("bookbytes: cannot reach the Redis at redis://127.0.0.1:")
    assert "QUEUE_URL" in last
    assert "WORKER_CONNECT_TIMEOUT_S" in last


def test_a_worker_without_queue_url_is_a_configuration_error(tmp_path: Path) -> None:
    line = one_line(bookbytes(tmp_path, "worker"), code=2)
    assert "QUEUE_URL must be set" in line


def test_an_out_of_range_port_is_refused(tmp_path: Path) -> None:
    result = bookbytes(tmp_path, "serve", "--port", "99999")
    assert result.returncode == 2
    assert "99999 is not a port number (1-65535)" in result.stderr
