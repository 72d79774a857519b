"""Settings: one frozen object read from the environment once, at start-up.

`Settings.from_env()` parses and validates every variable; a bad value raises `SettingsError`
naming the variable, the value and what was expected. An empty variable counts as unset.
The process environment is read over a `.env` file (see `with_env_file`); that file is the
only I/O here (key files are only named, never read).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, get_args
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ENV_FILE_VARIABLE", "Settings", "SettingsError", "with_env_file"]

StorageBackend = Literal["local", "s3"]
AuthMode = Literal["jwt", "api_key"]
JwtAlgorithm = Literal[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA"
]
TtsProvider = Literal[
    "gtts", "openai", "espeak", "memory", "google", "polly", "azure", "elevenlabs", "piper"
]
MetadataProvider = Literal["openlibrary", "googlebooks", "chain", "memory"]
LlmProvider = Literal["openai", "memory"]
LogLevel = Literal["debug", "info", "warning", "error", "critical"]
LogFormat = Literal["json", "console", "auto"]

_DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/bookbytes.db"
_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_QUEUE_SCHEMES = ("redis://", "rediss://")
_MIN_API_KEY_CHARS = 16
_MIN_HMAC_SECRET_CHARS = 32
ENV_FILE_VARIABLE = "BOOKBYTES_ENV_FILE"
_DEFAULT_ENV_FILE = ".env"
_NO_ENV_FILE = "none"

_TESSERACT_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,40}")  # eng, chi_sim, deu_latf

_L = TypeVar("_L", bound=str)


class SettingsError(ValueError):
    """A configuration variable has a bad value; `variable` names it."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(message)
        self.variable = variable


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Every configuration value of BookBytes; see .env.example for what each one means."""

    # storage of state
    database_url: str = _DEFAULT_DATABASE_URL
    db_pool_min: int = 2
    db_pool_max: int = 10
    db_connect_timeout_s: float = 3.0
    queue_url: str | None = field(default=None, repr=False)
    worker_max_jobs: int = 5
    job_max_attempts: int = 3
    job_retry_delay_s: float = 5.0
    job_outage_tolerance_s: float = 120.0
    data_dir: Path = Path("data")
    storage_backend: StorageBackend = "local"
    storage_local_path: Path = Path("data/audio")
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_public_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_presign_ttl_s: int = 3600
    # auth
    auth_mode: AuthMode = "jwt"
    api_key: str | None = field(default=None, repr=False)
    jwt_secret_key: str | None = field(default=None, repr=False)
    jwt_algorithm: JwtAlgorithm = "HS256"
    jwt_access_ttl_s: int = 900
    jwt_refresh_ttl_s: int = 1_209_600
    jwt_issuer: str = "bookbytes"
    jwt_audience: str = "bookbytes-api"
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    # external services
    llm_provider: LlmProvider = "openai"
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_tts_model: str = "gpt-4o-mini-tts"
    openai_tts_voice: str = "alloy"
    tts_provider: TtsProvider = "gtts"
    tts_fallback: tuple[TtsProvider, ...] = ()
    metadata_provider: MetadataProvider = "openlibrary"
    openlibrary_base_url: str = "https://openlibrary.org"
    google_books_base_url: str = "https://www.googleapis.com/books/v1"
    google_books_api_key: str | None = field(default=None, repr=False)
    http_timeout_s: float = 30.0
    http_retries: int = 3
    # pipeline
    summary_words: int = 200
    chapter_concurrency: int = 3
    max_chapters: int = 40
    # FAKE_LATENCY_MS: milliseconds the memory summarizer (LLM_PROVIDER=memory) waits per
    # chapter, so tests with real processes can catch a job mid-book. 0 in any real use.
    fake_latency_ms: int = 0
    # process
    log_level: LogLevel = "info"
    log_format: LogFormat = "auto"
    shutdown_timeout_s: float = 30.0
    host: str = "127.0.0.1"
    port: int = 8000
    max_request_bytes: int = 1_048_576
    rate_limit_per_minute: int = 20
    jobs_per_minute: int = 5
    hash_concurrency: int = 0
    trusted_proxies: tuple[str, ...] = ()
    # voices (speech engines beyond the first wave)
    google_tts_api_key: str | None = field(default=None, repr=False)
    google_tts_credentials_file: Path | None = None
    google_tts_base_url: str = "https://texttospeech.googleapis.com"
    polly_region: str | None = None
    polly_endpoint_url: str | None = None
    azure_speech_key: str | None = field(default=None, repr=False)
    azure_speech_region: str | None = None
    azure_speech_base_url: str | None = None
    elevenlabs_api_key: str | None = field(default=None, repr=False)
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    elevenlabs_model: str = "eleven_multilingual_v2"
    piper_voice: Path | None = None
    tts_voice_types: tuple[tuple[str, str, str], ...] = ()
    preview_rate_limit_per_minute: int = 10

    @property
    def tts_engines(self) -> tuple[TtsProvider, ...]:
        """Engines requests may choose: TTS_PROVIDER, TTS_FALLBACK, then each cloud engine
        whose credentials are set."""
        keyed: list[TtsProvider] = []
        if self.google_tts_api_key or self.google_tts_credentials_file:
            keyed.append("google")
        if self.polly_region:
            keyed.append("polly")
        if self.azure_speech_key:
            keyed.append("azure")
        if self.elevenlabs_api_key:
            keyed.append("elevenlabs")
        return tuple(dict.fromkeys((self.tts_provider, *self.tts_fallback, *keyed)))

    def voice_types(self, provider: str) -> dict[str, str]:
        """TTS_VOICE_TYPES for one engine: voice type -> the engine's voice id."""
        return {kind: voice for name, kind, voice in self.tts_voice_types if name == provider}

    worker_connect_timeout_s: float = 60.0
    reviews_per_hour: int = 10
    cursor_secret_key: str | None = field(default=None, repr=False)
    community_refresh_s: float = 900.0
    # books from files (uploads)
    upload_local_path: Path = Path("data/uploads")
    max_upload_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    epub_max_uncompressed_bytes: int = 1024 * 1024 * 1024
    epub_max_ratio: int = 100
    reader_processes: int = 2
    reader_timeout_s: float = 120.0
    speech_part_chars: int = 2000
    audio_processes: int = 2
    ocr_languages: tuple[str, ...] = ("eng",)
    ocr_tessdata_path: Path | None = None

    @property
    def queue_backend(self) -> Literal["inprocess", "saq"]:
        """Which job queue runs the jobs: SAQ on QUEUE_URL, else in this process."""
        return "saq" if self.queue_url else "inprocess"

    @property
    def embedded(self) -> bool:
        """True for the single-process mode: SQLite and the in-process queue."""
        return self.database_url.startswith("sqlite") and self.queue_url is None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the settings from `environ` (default: `os.environ` over `.env`).

        Raises:
            SettingsError: a variable is malformed, out of range or inconsistent with another.
        """
        env = _Env(with_env_file(os.environ) if environ is None else environ)
        data_dir = Path(env.text("DATA_DIR") or "data")
        default_db = (
            _DEFAULT_DATABASE_URL
            if env.text("DATA_DIR") is None
            else f"sqlite+aiosqlite:///{data_dir.as_posix()}/bookbytes.db"
        )
        settings = cls(
            database_url=env.prefixed("DATABASE_URL", _DATABASE_SCHEMES) or default_db,
            db_pool_min=env.integer("DB_POOL_MIN", 2, low=0),
            db_pool_max=env.integer("DB_POOL_MAX", 10, low=1),
            db_connect_timeout_s=env.seconds("DB_CONNECT_TIMEOUT_S", 3.0),
            queue_url=env.prefixed("QUEUE_URL", _QUEUE_SCHEMES),
            worker_max_jobs=env.integer("WORKER_MAX_JOBS", 5, low=1),
            job_max_attempts=env.integer("JOB_MAX_ATTEMPTS", 3, low=1, high=20),
            job_retry_delay_s=env.seconds("JOB_RETRY_DELAY_S", 5.0),
            job_outage_tolerance_s=env.seconds("JOB_OUTAGE_TOLERANCE_S", 120.0),
            data_dir=data_dir,
            storage_backend=env.choice("STORAGE_BACKEND", StorageBackend, "local"),
            storage_local_path=Path(env.text("STORAGE_LOCAL_PATH") or data_dir / "audio"),
            s3_bucket=env.text("S3_BUCKET"),
            s3_endpoint_url=env.url("S3_ENDPOINT_URL"),
            s3_public_endpoint_url=env.url("S3_PUBLIC_ENDPOINT_URL"),
            s3_region=env.text("S3_REGION") or "us-east-1",
            s3_presign_ttl_s=env.integer("S3_PRESIGN_TTL_S", 3600, low=1, high=604_800),
            auth_mode=env.choice("AUTH_MODE", AuthMode, "jwt"),
            api_key=env.text("API_KEY"),
            jwt_secret_key=env.text("JWT_SECRET_KEY"),
            jwt_algorithm=env.choice("JWT_ALGORITHM", JwtAlgorithm, "HS256", fold_case=False),
            jwt_access_ttl_s=env.integer("JWT_ACCESS_TTL_S", 900, low=1),
            jwt_refresh_ttl_s=env.integer("JWT_REFRESH_TTL_S", 1_209_600, low=1),
            jwt_issuer=env.text("JWT_ISSUER") or "bookbytes",
            jwt_audience=env.text("JWT_AUDIENCE") or "bookbytes-api",
            jwt_private_key_file=env.path("JWT_PRIVATE_KEY_FILE"),
            jwt_public_key_file=env.path("JWT_PUBLIC_KEY_FILE"),
            llm_provider=env.choice("LLM_PROVIDER", LlmProvider, "openai"),
            openai_api_key=env.text("OPENAI_API_KEY"),
            openai_base_url=env.url("OPENAI_BASE_URL"),
            openai_model=env.text("OPENAI_MODEL") or "gpt-4o-mini",
            openai_tts_model=env.text("OPENAI_TTS_MODEL") or "gpt-4o-mini-tts",
            openai_tts_voice=env.text("OPENAI_TTS_VOICE") or "alloy",
            tts_provider=env.choice("TTS_PROVIDER", TtsProvider, "gtts"),
            tts_fallback=env.choices("TTS_FALLBACK", TtsProvider),
            metadata_provider=env.choice("METADATA_PROVIDER", MetadataProvider, "openlibrary"),
            openlibrary_base_url=env.url("OPENLIBRARY_BASE_URL") or "https://openlibrary.org",
            google_books_base_url=env.url("GOOGLE_BOOKS_BASE_URL")
            or "https://www.googleapis.com/books/v1",
            google_books_api_key=env.text("GOOGLE_BOOKS_API_KEY"),
            http_timeout_s=env.seconds("HTTP_TIMEOUT_S", 30.0),
            http_retries=env.integer("HTTP_RETRIES", 3, low=0, high=10),
            summary_words=env.integer("SUMMARY_WORDS", 200, low=20, high=5000),
            chapter_concurrency=env.integer("CHAPTER_CONCURRENCY", 3, low=1, high=64),
            max_chapters=env.integer("MAX_CHAPTERS", 40, low=1, high=500),
            fake_latency_ms=env.integer("FAKE_LATENCY_MS", 0, low=0, high=60_000),
            log_level=env.choice("LOG_LEVEL", LogLevel, "info"),
            log_format=env.choice("LOG_FORMAT", LogFormat, "auto"),
            shutdown_timeout_s=env.seconds("SHUTDOWN_TIMEOUT_S", 30.0),
            host=env.text("HOST") or "127.0.0.1",
            port=env.integer("PORT", 8000, low=1, high=65535),
            max_request_bytes=env.integer("MAX_REQUEST_BYTES", 1_048_576, low=1024),
            rate_limit_per_minute=env.integer("RATE_LIMIT_PER_MINUTE", 20, low=1),
            jobs_per_minute=env.integer("JOBS_PER_MINUTE", 5, low=1),
            hash_concurrency=env.integer("HASH_CONCURRENCY", 0, low=0, high=256),
            trusted_proxies=env.addresses("TRUSTED_PROXIES"),
            google_tts_api_key=env.text("GOOGLE_TTS_API_KEY"),
            google_tts_credentials_file=env.path("GOOGLE_TTS_CREDENTIALS_FILE"),
            google_tts_base_url=env.url("GOOGLE_TTS_BASE_URL")
            or "https://texttospeech.googleapis.com",
            polly_region=env.text("POLLY_REGION"),
            polly_endpoint_url=env.url("POLLY_ENDPOINT_URL"),
            azure_speech_key=env.text("AZURE_SPEECH_KEY"),
            azure_speech_region=env.text("AZURE_SPEECH_REGION"),
            azure_speech_base_url=env.url("AZURE_SPEECH_BASE_URL"),
            elevenlabs_api_key=env.text("ELEVENLABS_API_KEY"),
            elevenlabs_base_url=env.url("ELEVENLABS_BASE_URL") or "https://api.elevenlabs.io",
            elevenlabs_model=env.text("ELEVENLABS_MODEL") or "eleven_multilingual_v2",
            piper_voice=env.path("PIPER_VOICE"),
            tts_voice_types=env.voice_types("TTS_VOICE_TYPES"),
            preview_rate_limit_per_minute=env.integer("PREVIEW_RATE_LIMIT_PER_MINUTE", 10, low=1),
            worker_connect_timeout_s=env.seconds("WORKER_CONNECT_TIMEOUT_S", 60.0),
            reviews_per_hour=env.integer("REVIEWS_PER_HOUR", 10, low=1),
            cursor_secret_key=env.text("CURSOR_SECRET_KEY"),
            community_refresh_s=env.seconds("COMMUNITY_REFRESH_S", 900.0),
            upload_local_path=Path(env.text("UPLOAD_LOCAL_PATH") or data_dir / "uploads"),
            max_upload_bytes=env.integer("MAX_UPLOAD_BYTES", 200 * 1024 * 1024, low=1024),
            max_pages=env.integer("MAX_PAGES", 2000, low=1),
            epub_max_uncompressed_bytes=env.integer(
                "EPUB_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024, low=1024
            ),
            epub_max_ratio=env.integer("EPUB_MAX_RATIO", 100, low=2),
            reader_processes=env.integer("READER_PROCESSES", 2, low=1, high=64),
            reader_timeout_s=env.seconds("READER_TIMEOUT_S", 120.0),
            speech_part_chars=env.integer("SPEECH_PART_CHARS", 2000, low=100, high=100_000),
            audio_processes=env.integer("AUDIO_PROCESSES", 2, low=1, high=64),
            ocr_languages=env.tesseract_languages("OCR_LANGUAGES"),
            ocr_tessdata_path=env.path("OCR_TESSDATA_PATH"),
        )
        settings._check_consistency()
        return settings

    def _check_consistency(self) -> None:
        if self.db_pool_min > self.db_pool_max:
            raise SettingsError(
                "DB_POOL_MIN",
                f"DB_POOL_MIN must be <= DB_POOL_MAX ({self.db_pool_max}), got {self.db_pool_min}",
            )
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise SettingsError("S3_BUCKET", "S3_BUCKET must be set when STORAGE_BACKEND=s3")
        if self.auth_mode == "api_key" and self.api_key is None:
            raise SettingsError("API_KEY", "API_KEY must be set when AUTH_MODE=api_key")
        if self.api_key is not None and len(self.api_key) < _MIN_API_KEY_CHARS:
            raise SettingsError(
                "API_KEY",
                f"API_KEY must be at least {_MIN_API_KEY_CHARS} characters, "
                f"got {len(self.api_key)} characters",
            )
        hmac = self.jwt_algorithm.startswith("HS")
        secret = self.jwt_secret_key
        if hmac and secret is not None and len(secret) < _MIN_HMAC_SECRET_CHARS:
            raise SettingsError(
                "JWT_SECRET_KEY",
                f"JWT_SECRET_KEY must be at least {_MIN_HMAC_SECRET_CHARS} characters for "
                f"{self.jwt_algorithm}, got {len(secret)} characters",
            )
        _check_engine_credentials(self)
        keys = {
            "JWT_PRIVATE_KEY_FILE": self.jwt_private_key_file,
            "JWT_PUBLIC_KEY_FILE": self.jwt_public_key_file,
        }
        for name, path in keys.items():
            if not hmac and self.auth_mode == "jwt" and path is None:
                raise SettingsError(
                    name, f"{name} must be set when JWT_ALGORITHM={self.jwt_algorithm}"
                )


def _check_engine_credentials(settings: Settings) -> None:
    named = (settings.tts_provider, *settings.tts_fallback)
    needs = {
        "google": ("GOOGLE_TTS_API_KEY", settings.google_tts_api_key
                   or settings.google_tts_credentials_file),
        "polly": ("POLLY_REGION", settings.polly_region),
        "azure": ("AZURE_SPEECH_KEY", settings.azure_speech_key),
        "elevenlabs": ("ELEVENLABS_API_KEY", settings.elevenlabs_api_key),
    }  # fmt: skip
    for engine, (variable, value) in needs.items():
        if engine in named and not value:
            raise SettingsError(variable, f"{variable} must be set when {engine} speaks")
    if settings.azure_speech_key and not (
        settings.azure_speech_region or settings.azure_speech_base_url
    ):
        raise SettingsError(
            "AZURE_SPEECH_REGION", "AZURE_SPEECH_REGION (or AZURE_SPEECH_BASE_URL) must be set"
        )


def with_env_file(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` over the variables of a dotenv file: the environment wins, the file fills in.

    The file is ``.env`` in the current directory when there is one, or the file named by
    BOOKBYTES_ENV_FILE (which must exist); BOOKBYTES_ENV_FILE=none reads no file.

    Raises:
        SettingsError: BOOKBYTES_ENV_FILE names a file that is missing or unreadable.
    """
    named = environ.get(ENV_FILE_VARIABLE, "").strip()
    if named.lower() == _NO_ENV_FILE:
        return dict(environ)
    path = Path(named or _DEFAULT_ENV_FILE)
    if not named and not path.is_file():
        return dict(environ)
    from dotenv import dotenv_values

    try:
        with path.open(encoding="utf-8") as stream:
            values = dotenv_values(stream=stream)
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(
            ENV_FILE_VARIABLE, f"{ENV_FILE_VARIABLE}: cannot read the env file {str(path)!r}: {exc}"
        ) from exc
    return {**{k: v for k, v in values.items() if v is not None}, **environ}


class _Env:
    """Typed, validating access to a mapping of environment variables."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def text(self, name: str) -> str | None:
        value = self._environ.get(name, "").strip()
        return value or None

    def _fail(self, name: str, expected: str, value: str) -> SettingsError:
        return SettingsError(name, f"{name} must be {expected}, got {value!r}")

    def integer(self, name: str, default: int, *, low: int, high: int | None = None) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        expected = f"an integer between {low} and {high}" if high else f"an integer >= {low}"
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            raise self._fail(name, expected, raw) from None
        if value < low or (high is not None and value > high):
            raise self._fail(name, expected, raw)
        return value

    def seconds(self, name: str, default: float) -> float:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise self._fail(name, "a positive number of seconds", raw)
        return value

    def choice(self, name: str, allowed: object, default: _L, *, fold_case: bool = True) -> _L:
        raw = self.text(name)
        if raw is None:
            return default
        options: tuple[_L, ...] = get_args(allowed)
        value = raw.lower() if fold_case else raw
        if value not in options:
            raise self._fail(name, f"one of {', '.join(options)}", raw)
        return value

    def choices(self, name: str, allowed: object) -> tuple[TtsProvider, ...]:
        raw = self.text(name)
        if raw is None:
            return ()
        options: tuple[TtsProvider, ...] = get_args(allowed)
        values = tuple(part.strip().lower() for part in raw.split(",") if part.strip())
        if not all(value in options for value in values):
            raise self._fail(name, f"a comma-separated list of {', '.join(options)}", raw)
        return values  # type: ignore[return-value]  # checked against the Literal's values

    def voice_types(self, name: str) -> tuple[tuple[str, str, str], ...]:
        """``provider.type=voice_id`` pairs, comma-separated."""
        raw = self.text(name)
        if raw is None:
            return ()
        engines: tuple[str, ...] = get_args(TtsProvider)
        types = ("default", "female", "male", "child")
        parsed: list[tuple[str, str, str]] = []
        for part in filter(None, (p.strip() for p in raw.split(","))):
            key, _, voice = part.partition("=")
            provider, _, kind = key.strip().lower().partition(".")
            if provider not in engines or kind not in types or not voice.strip():
                raise self._fail(
                    name, "comma-separated provider.type=voice_id, e.g. polly.male=Brian", raw
                )
            parsed.append((provider, kind, voice.strip()))
        return tuple(parsed)

    def tesseract_languages(self, name: str) -> tuple[str, ...]:
        """Tesseract model names joined with '+' (``eng+deu``); whether each has a model is
        checked when the readers are built."""
        raw = self.text(name)
        if raw is None:
            return ("eng",)
        codes = tuple(part.strip() for part in raw.split("+"))
        if not all(_TESSERACT_CODE.fullmatch(code) for code in codes) or "osd" in codes:
            raise self._fail(name, "Tesseract language codes joined with '+', e.g. eng+deu", raw)
        return tuple(dict.fromkeys(codes))

    def url(self, name: str) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise self._fail(name, "an http:// or https:// URL", raw)
        return raw.rstrip("/")

    def prefixed(self, name: str, schemes: tuple[str, ...]) -> str | None:
        raw = self.text(name)
        if raw is None:
            return None
        if not any(raw.startswith(s) and len(raw) > len(s) for s in schemes):
            raise self._fail(name, f"a URL starting with {' or '.join(schemes)}", raw)
        return raw

    def addresses(self, name: str) -> tuple[str, ...]:
        """A comma-separated list of IP addresses or networks (CIDR)."""
        raw = self.text(name)
        if raw is None:
            return ()
        values = tuple(part.strip() for part in raw.split(",") if part.strip())
        for value in values:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise self._fail(name, "comma-separated IP addresses or networks", raw) from None
        return values

    def path(self, name: str) -> Path | None:
        raw = self.text(name)
        return None if raw is None else Path(raw)
