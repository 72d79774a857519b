"""Settings.from_env: defaults, parsing, and errors that name the variable."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entrypoints.settings import ENV_FILE_VARIABLE, Settings, SettingsError

GOOD_API_KEY = "k" * 16
GOOD_SECRET = "s" * 32


def test_defaults_describe_the_embedded_laptop_mode() -> None:
    settings = Settings.from_env({})

    assert settings == Settings()
    assert settings.database_url == "sqlite+aiosqlite:///./data/bookbytes.db"
    assert (settings.db_pool_min, settings.db_pool_max) == (2, 10)
    assert settings.queue_url is None
    assert settings.embedded
    assert settings.storage_backend == "local"
    assert settings.storage_local_path == Path("data/audio")
    assert settings.auth_mode == "jwt"
    assert settings.jwt_secret_key is None
    assert settings.jwt_algorithm == "HS256"
    assert settings.tts_provider == "gtts"
    assert settings.tts_fallback == ()
    assert settings.metadata_provider == "openlibrary"
    assert settings.llm_provider == "openai"
    assert settings.http_timeout_s == 30.0
    assert (settings.log_level, settings.log_format) == ("info", "auto")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_empty_strings_count_as_unset() -> None:
    assert Settings.from_env({"PORT": "", "QUEUE_URL": "  ", "AUTH_MODE": ""}) == Settings()


def test_parses_every_kind_of_value() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql+asyncpg://u:p@db:5432/bookbytes",
            "QUEUE_URL": "rediss://cache:6380/1",
            "PORT": "9000",
            "HTTP_TIMEOUT_S": "2.5",
            "LOG_LEVEL": "DEBUG",
            "TTS_PROVIDER": "espeak",
            "TTS_FALLBACK": "openai, gtts",
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "audio",
            "S3_ENDPOINT_URL": "http://minio:9000/",
            "S3_PUBLIC_ENDPOINT_URL": "http://localhost:9000",
            "AUTH_MODE": "api_key",
            "API_KEY": GOOD_API_KEY,
            "JWT_SECRET_KEY": GOOD_SECRET,
            "DATA_DIR": "/var/lib/bookbytes",
        }
    )

    assert settings.port == 9000
    assert settings.http_timeout_s == 2.5
    assert settings.log_level == "debug"
    assert settings.tts_fallback == ("openai", "gtts")
    assert settings.s3_endpoint_url == "http://minio:9000"
    assert settings.s3_public_endpoint_url == "http://localhost:9000"
    assert settings.storage_local_path == Path("/var/lib/bookbytes/audio")
    assert not settings.embedded


def test_data_dir_moves_the_default_sqlite_database() -> None:
    settings = Settings.from_env({"DATA_DIR": "/srv/bb"})

    assert settings.database_url == "sqlite+aiosqlite:////srv/bb/bookbytes.db"
    assert settings.storage_local_path == Path("/srv/bb/audio")


def test_the_job_attempt_budget_and_retry_delay_are_read() -> None:
    settings = Settings.from_env({"JOB_MAX_ATTEMPTS": "5", "JOB_RETRY_DELAY_S": "0.5"})
    assert (settings.job_max_attempts, settings.job_retry_delay_s) == (5, 0.5)
    assert Settings.from_env({}).job_max_attempts == 3
    assert Settings.from_env({}).queue_backend == "inprocess"
    assert Settings.from_env({"QUEUE_URL": "redis://r:6379/0"}).queue_backend == "saq"


def test_sqlite_with_a_queue_is_not_embedded() -> None:
    assert not Settings.from_env({"QUEUE_URL": "redis://localhost:6379/0"}).embedded


def test_settings_are_frozen() -> None:
    settings = Settings()

    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]


def test_secrets_stay_out_of_repr() -> None:
    settings = Settings.from_env({"JWT_SECRET_KEY": GOOD_SECRET, "OPENAI_API_KEY": "sk-hidden"})

    assert GOOD_SECRET not in repr(settings)
    assert "sk-hidden" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "environ"),
    [
        ("PORT", {"PORT": "abc"}),
        ("PORT", {"PORT": "70000"}),
        ("DB_POOL_MIN", {"DB_POOL_MIN": "-1"}),
        ("DB_POOL_MAX", {"DB_POOL_MAX": "0"}),
        ("DB_POOL_MIN", {"DB_POOL_MIN": "8", "DB_POOL_MAX": "4"}),
        ("WORKER_MAX_JOBS", {"WORKER_MAX_JOBS": "many"}),
        ("JOB_MAX_ATTEMPTS", {"JOB_MAX_ATTEMPTS": "0"}),
        ("JOB_MAX_ATTEMPTS", {"JOB_MAX_ATTEMPTS": "21"}),
        ("JOB_RETRY_DELAY_S", {"JOB_RETRY_DELAY_S": "-1"}),
        ("DATABASE_URL", {"DATABASE_URL": "mysql://db/bookbytes"}),
        ("DATABASE_URL", {"DATABASE_URL": "postgresql://db/bookbytes"}),
        ("QUEUE_URL", {"QUEUE_URL": "amqp://rabbit"}),
        ("STORAGE_BACKEND", {"STORAGE_BACKEND": "ftp"}),
        ("S3_BUCKET", {"STORAGE_BACKEND": "s3"}),
        ("S3_ENDPOINT_URL", {"S3_ENDPOINT_URL": "minio:9000"}),
        ("S3_PUBLIC_ENDPOINT_URL", {"S3_PUBLIC_ENDPOINT_URL": "localhost:9000"}),
        ("S3_PRESIGN_TTL_S", {"S3_PRESIGN_TTL_S": "0"}),
        ("AUTH_MODE", {"AUTH_MODE": "basic"}),
        ("API_KEY", {"AUTH_MODE": "api_key"}),
        ("API_KEY", {"AUTH_MODE": "api_key", "API_KEY": "short"}),
        ("JWT_SECRET_KEY", {"JWT_SECRET_KEY": "too-short"}),
        ("JWT_ALGORITHM", {"JWT_ALGORITHM": "none"}),
        ("JWT_PRIVATE_KEY_FILE", {"JWT_ALGORITHM": "RS256"}),
        ("JWT_PUBLIC_KEY_FILE", {"JWT_ALGORITHM": "RS256", "JWT_PRIVATE_KEY_FILE": "k.pem"}),
        ("JWT_ACCESS_TTL_S", {"JWT_ACCESS_TTL_S": "1.5"}),
        ("JWT_REFRESH_TTL_S", {"JWT_REFRESH_TTL_S": "-5"}),
        ("OPENAI_BASE_URL", {"OPENAI_BASE_URL": "ftp://llm"}),
        ("LLM_PROVIDER", {"LLM_PROVIDER": "claude"}),
        ("TTS_PROVIDER", {"TTS_PROVIDER": "festival"}),
        ("TTS_FALLBACK", {"TTS_FALLBACK": "espeak,festival"}),
        ("METADATA_PROVIDER", {"METADATA_PROVIDER": "amazon"}),
        ("OPENLIBRARY_BASE_URL", {"OPENLIBRARY_BASE_URL": "not a url"}),
        ("GOOGLE_BOOKS_BASE_URL", {"GOOGLE_BOOKS_BASE_URL": "https://"}),
        ("HTTP_TIMEOUT_S", {"HTTP_TIMEOUT_S": "0"}),
        ("HTTP_TIMEOUT_S", {"HTTP_TIMEOUT_S": "nan"}),
        ("HTTP_RETRIES", {"HTTP_RETRIES": "x"}),
        ("SUMMARY_WORDS", {"SUMMARY_WORDS": "5"}),
        ("CHAPTER_CONCURRENCY", {"CHAPTER_CONCURRENCY": "0"}),
        ("MAX_CHAPTERS", {"MAX_CHAPTERS": "100000"}),
        ("LOG_LEVEL", {"LOG_LEVEL": "verbose"}),
        ("LOG_FORMAT", {"LOG_FORMAT": "xml"}),
        ("SHUTDOWN_TIMEOUT_S", {"SHUTDOWN_TIMEOUT_S": "-1"}),
        ("MAX_REQUEST_BYTES", {"MAX_REQUEST_BYTES": "10"}),
        ("RATE_LIMIT_PER_MINUTE", {"RATE_LIMIT_PER_MINUTE": "0"}),
        ("OCR_LANGUAGES", {"OCR_LANGUAGES": "eng,deu"}),
        ("OCR_LANGUAGES", {"OCR_LANGUAGES": "eng+"}),
        ("OCR_LANGUAGES", {"OCR_LANGUAGES": "../../etc/eng"}),
        ("OCR_LANGUAGES", {"OCR_LANGUAGES": "osd"}),
    ],
)
def test_every_bad_value_names_its_variable(variable: str, environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)

    assert raised.value.variable == variable
    assert str(raised.value).startswith(variable)
    assert isinstance(raised.value, ValueError)


def test_error_message_shows_the_value_and_what_is_expected() -> None:
    with pytest.raises(
        SettingsError, match=r"^PORT must be an integer between 1 and 65535, got 'abc'$"
    ):
        Settings.from_env({"PORT": "abc"})


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8123")

    assert Settings.from_env().port == 8123


def test_env_example_documents_every_setting_with_its_default() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    environ = dict(
        line.split("=", 1)
        for line in example.read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert set(environ) == {field.name.upper() for field in dataclasses.fields(Settings)}
    assert Settings.from_env(environ) == Settings()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory is an empty ``tmp_path``; no env-file choice nor PORT is set."""
    monkeypatch.chdir(tmp_path)
    for name in (ENV_FILE_VARIABLE, "PORT", "LOG_LEVEL", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_a_dot_env_file_in_the_current_directory_fills_in(in_tmp: Path) -> None:
    (in_tmp / ".env").write_text("# copied from .env.example\nPORT=9001\nLOG_FORMAT='console'\n")

    settings = Settings.from_env()

    assert (settings.port, settings.log_format) == (9001, "console")


def test_the_environment_wins_over_the_dot_env_file(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / ".env").write_text("PORT=9001\n")
    monkeypatch.setenv("PORT", "8123")

    assert Settings.from_env().port == 8123


def test_a_bad_value_in_the_dot_env_file_names_its_variable(in_tmp: Path) -> None:
    (in_tmp / ".env").write_text("LOG_LEVEL=verbose\n")

    with pytest.raises(SettingsError, match=r"^LOG_LEVEL must be one of") as raised:
        Settings.from_env()

    assert raised.value.variable == "LOG_LEVEL"


def test_an_explicit_mapping_reads_no_file(in_tmp: Path) -> None:
    (in_tmp / ".env").write_text("LOG_LEVEL=verbose\n")

    assert Settings.from_env({}) == Settings()


def test_the_env_file_variable_names_another_file_or_none(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / ".env").write_text("PORT=9001\n")
    (in_tmp / "staging.env").write_text("PORT=9002\n")

    monkeypatch.setenv(ENV_FILE_VARIABLE, str(in_tmp / "staging.env"))
    assert Settings.from_env().port == 9002
    monkeypatch.setenv(ENV_FILE_VARIABLE, "none")
    assert Settings.from_env().port == 8000


def test_a_named_env_file_that_is_missing_stops_the_start(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_FILE_VARIABLE, "missing.env")

    with pytest.raises(SettingsError, match=rf"^{ENV_FILE_VARIABLE}: cannot read") as raised:
        Settings.from_env()

    assert raised.value.variable == ENV_FILE_VARIABLE


def test_bookbytes_serve_refuses_a_bad_dot_env_file_with_the_usual_message(in_tmp: Path) -> None:
    (in_tmp / ".env").write_text("LOG_LEVEL=verbose\n")
    env = {k: v for k, v in os.environ.items() if k not in (ENV_FILE_VARIABLE, "LOG_LEVEL")}

    done = subprocess.run(
        [str(Path(sys.executable).with_name("bookbytes")), "serve"],
        cwd=in_tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "configuration error: LOG_LEVEL must be one of" in done.stderr
