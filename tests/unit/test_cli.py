"""The pure parts of the `bookbytes` command: arguments, warnings, start checks, the bar."""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING

import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from redis.exceptions import AuthenticationError
from redis.exceptions import ConnectionError as RedisConnectionError

from entrypoints.cli import build_parser
from entrypoints.cli.output import progress_line
from entrypoints.cli.preflight import (
    StartError,
    check_storage,
    explain_database_error,
    retry_delays,
    wait_for_redis,
)
from entrypoints.cli.server import unusable_services
from entrypoints.log_config import resolve_format
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

PG = "postgresql+asyncpg://ada:secret@db.example:5433/books"


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1", "eighty"])
def test_serve_refuses_a_port_outside_1_to_65535(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["serve", "--port", port])
    assert exited.value.code == 2
    assert "is not a port number (1-65535)" in capsys.readouterr().err


def test_serve_takes_a_port_in_range() -> None:
    assert build_parser().parse_args(["serve", "--port", "65535"]).port == 65535


def test_openai_speech_without_a_key_warns_about_the_speech_step() -> None:
    settings = Settings(llm_provider="memory", tts_provider="openai")
    (problem,) = unusable_services(settings)
    assert "speech step" in problem
    assert "outline" not in problem
    assert "TTS_PROVIDER=espeak" in problem


def test_an_openai_llm_without_a_key_warns_about_the_outline_step() -> None:
    (problem,) = unusable_services(Settings(llm_provider="openai", tts_provider="gtts"))
    assert "outline and summary steps" in problem
    assert "LLM_PROVIDER=memory" in problem


def test_each_openai_use_without_a_key_gets_its_warning() -> None:
    both = Settings(llm_provider="openai", tts_provider="espeak", tts_fallback=("openai",))
    problems = unusable_services(both)
    assert len(problems) == 2
    assert "TTS_FALLBACK" in problems[1]


@pytest.mark.parametrize("fix", [{"openai_api_key": "sk-x"}, {"openai_base_url": "http://llm"}])
def test_a_key_or_a_base_url_silences_the_warnings(fix: dict[str, str]) -> None:
    settings = dataclasses.replace(Settings(llm_provider="openai", tts_provider="openai"), **fix)
    assert unusable_services(settings) == []


def test_a_missing_database_names_it_and_says_how_to_create_it() -> None:
    missing = asyncpg.exceptions.InvalidCatalogNameError('database "books" does not exist')
    wrapped = ExceptionGroup("lifespan", [RuntimeError("startup failed")])
    wrapped.__cause__ = missing
    message = explain_database_error(wrapped, PG)
    assert message is not None
    assert "database 'books' does not exist on the PostgreSQL server at db.example:5433" in message
    assert "createdb -h db.example -p 5433 -U ada books" in message
    assert "secret" not in message


def test_a_refused_connection_inside_an_exception_group_is_unreachable() -> None:
    group = ExceptionGroup("startup", [ConnectionRefusedError(111, "Connection refused")])
    message = explain_database_error(group, PG)
    assert message is not None
    assert "cannot reach the PostgreSQL server at db.example:5433 (Connection refused)" in message


def test_an_unknown_database_failure_is_left_alone() -> None:
    assert explain_database_error(ValueError("a bug"), PG) is None


def test_check_storage_creates_the_directory_and_leaves_nothing(tmp_path: Path) -> None:
    root = tmp_path / "audio" / "deep"
    check_storage(Settings(data_dir=tmp_path / "data", storage_local_path=root))
    assert list(root.iterdir()) == []
    assert list((tmp_path / "data").iterdir()) == []


def test_check_storage_refuses_a_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StartError, match=r"STORAGE_LOCAL_PATH .* cannot be written"):
        check_storage(Settings(data_dir=tmp_path, storage_local_path=tmp_path / "file" / "audio"))


def test_retry_delays_back_off_and_spend_exactly_the_budget() -> None:
    assert list(retry_delays(60)) == [1, 2, 4, 8, 10, 10, 10, 10, 5]
    assert list(retry_delays(2.5)) == [1, 1.5]


@given(st.floats(min_value=0.1, max_value=1000))
def test_retry_delays_never_exceed_the_cap_or_the_budget(budget: float) -> None:
    delays = list(retry_delays(budget))
    assert all(0 < d <= 10 for d in delays)
    assert sum(delays) == pytest.approx(budget)


def test_wait_for_redis_retries_until_redis_answers() -> None:
    answers: list[Exception | None] = [RedisConnectionError("refused"), OSError("down"), None]
    retries: list[tuple[int, str, float]] = []
    slept: list[float] = []

    async def ping(url: str) -> None:
        failure = answers.pop(0)
        if failure is not None:
            raise failure

    wait_for_redis(
        "redis://r:6379/0", 60, lambda *a: retries.append(a), ping=ping, sleep=slept.append
    )
    assert retries == [(1, "refused", 1.0), (2, "down", 2.0)]
    assert slept == [1.0, 2.0]


def test_wait_for_redis_gives_up_after_the_budget() -> None:
    async def ping(url: str) -> None:
        raise RedisConnectionError("Connection refused")

    slept: list[float] = []
    with pytest.raises(StartError) as failed:
        wait_for_redis("redis://:pw@r:6380/2", 3, lambda *a: None, ping=ping, sleep=slept.append)
    assert slept == [1.0, 2.0]
    message = str(failed.value)
    assert "cannot reach the Redis at redis://r:6380/2 after 3 attempts in 3 s" in message
    assert "pw" not in message


def test_wait_for_redis_does_not_retry_a_refused_password() -> None:
    async def ping(url: str) -> None:
        raise AuthenticationError("invalid password")

    with pytest.raises(StartError, match="refused our credentials"):
        wait_for_redis("redis://r/0", 60, lambda *a: None, ping=ping, sleep=lambda s: None)


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("fmt", "tty", "resolved"),
    [
        ("auto", True, "console"),
        ("auto", False, "json"),
        ("json", True, "json"),
        ("console", False, "console"),
    ],
)
def test_auto_log_format_is_console_on_a_terminal(fmt: str, tty: bool, resolved: str) -> None:
    assert resolve_format(fmt, _Stream(tty)) == resolved


JOB = {"progress": 45, "status": "processing", "current_step": "chapters: 2/12 done " * 4}


@given(st.integers(min_value=0, max_value=300))
def test_the_progress_line_fits_the_width(width: int) -> None:
    assert len(progress_line(JOB, width)) <= width


def test_a_narrow_progress_line_keeps_the_percentage_and_cuts_the_step() -> None:
    line = progress_line(JOB, 50)
    assert " 45% processing" in line
    assert line.endswith("…")
    assert progress_line(JOB).endswith("done")  # no width: nothing is cut
