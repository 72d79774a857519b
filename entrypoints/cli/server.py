"""Server commands: ``serve`` (the API), ``worker`` (a SAQ worker), ``db`` (migrations).

A bad start is one line on stderr and a nonzero exit: 2 for a bad setting, 1 when a
service or a path the process needs cannot be used (see `entrypoints.cli.preflight`).
"""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

from entrypoints.cli.preflight import StartError
from entrypoints.settings import Settings, SettingsError

if TYPE_CHECKING:
    import argparse


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def _fail(exc: StartError) -> int:
    print(f"bookbytes: {exc}", file=sys.stderr)
    return 1


def serve(args: argparse.Namespace) -> int:
    """Run the API with uvicorn (and, without QUEUE_URL, the jobs in-process)."""
    import uvicorn

    from entrypoints.cli.preflight import check_database, check_storage
    from entrypoints.container import build_container
    from entrypoints.http.app import asgi_app
    from entrypoints.log_config import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    warn_about_unusable_services(settings)
    try:
        check_storage(settings)  # before the container: the embedded JWT key is written there
    except StartError as exc:
        return _fail(exc)
    try:
        container = build_container(settings)
        container.accounts.tokens()  # fail now, not on first login, when no JWT key is usable
        container.uploads.ocr_models()  # and not on the first scan, when an OCR model is missing
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        return 2
    try:  # the settings are sound; now the database they point at
        check_database(settings.database_url)
        if settings.database_url.startswith("sqlite"):
            _migrate(settings.database_url)  # the embedded mode migrates itself on start
    except StartError as exc:
        return _fail(exc)
    app = asgi_app(container)
    # Uvicorn shuts down gracefully on SIGTERM, then raises the signal again once the
    # server is down; answering that with a clean exit makes a graceful stop exit 0.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(
        app,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_timeout_s),
        lifespan="on",
        # X-Forwarded-For is believed only from TRUSTED_PROXIES (uvicorn would trust it from
        # 127.0.0.1 by default, letting a client on the host dodge every limit).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or "",
    )
    return 0


def worker(args: argparse.Namespace) -> int:
    """Run a SAQ worker (needs QUEUE_URL) until SIGTERM or Ctrl-C.

    At start it waits for Redis up to WORKER_CONNECT_TIMEOUT_S, logging one line per
    failed attempt, and exits 1 if Redis never answers.
    """
    import structlog

    from entrypoints.cli.preflight import check_database, check_storage, wait_for_redis
    from entrypoints.log_config import configure_logging
    from entrypoints.worker import run_worker

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    warn_about_unusable_services(settings)
    if not settings.queue_url:
        print(
            "bookbytes: configuration error: QUEUE_URL must be set to run a worker (redis://...)",
            file=sys.stderr,
        )
        return 2
    log = structlog.get_logger("bookbytes")

    def retrying(attempt: int, reason: str, delay_s: float) -> None:
        log.warning(
            "Redis not reachable, retrying",
            attempt=attempt,
            reason=reason,
            retry_in_s=round(delay_s, 1),
            gives_up_after_s=settings.worker_connect_timeout_s,
        )

    try:
        check_storage(settings)
        check_database(settings.database_url)
        wait_for_redis(settings.queue_url, settings.worker_connect_timeout_s, retrying)
    except StartError as exc:
        return _fail(exc)
    try:
        return run_worker(settings)
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        return 2


def unusable_services(settings: Settings) -> list[str]:
    """What will fail at the first job with these settings, each with the step and the fix."""
    if settings.openai_api_key or settings.openai_base_url:
        return []
    problems = []
    fix = "Set OPENAI_API_KEY, or point OPENAI_BASE_URL at an OpenAI-compatible server"
    if settings.llm_provider == "openai":
        problems.append(
            "OPENAI_API_KEY is not set: with LLM_PROVIDER=openai jobs will fail at the outline "
            f"and summary steps. {fix}, or use LLM_PROVIDER=memory (canned text) for a try-out"
        )
    if settings.tts_provider == "openai":
        problems.append(
            "OPENAI_API_KEY is not set: with TTS_PROVIDER=openai jobs will fail at the speech "
            f"step. {fix}, or use TTS_PROVIDER=espeak (offline) or gtts"
        )
    elif "openai" in settings.tts_fallback:
        problems.append(
            "OPENAI_API_KEY is not set: the openai speech fallback (TTS_FALLBACK) will fail "
            f"at the speech step. {fix}, or remove openai from TTS_FALLBACK"
        )
    return problems


def warn_about_unusable_services(settings: Settings) -> None:
    """Say at start, not at the first job, when a selected service cannot work."""
    import structlog

    log = structlog.get_logger("bookbytes")
    for problem in unusable_services(settings):
        log.warning(problem)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _migrate(database_url: str, action: str = "upgrade", revision: str = "head") -> None:
    """Run a migration; a database that cannot be used raises StartError."""
    from adapters.sqlalchemy.migrate import downgrade, upgrade
    from entrypoints.cli.preflight import explain_database_error

    try:
        (upgrade if action == "upgrade" else downgrade)(database_url, revision)
    except Exception as exc:
        message = explain_database_error(exc, database_url)
        if message is None:
            raise
        raise StartError(message) from exc


def db(args: argparse.Namespace) -> int:
    """Migrate the database up to head or down one revision (or to --revision)."""
    settings = _settings()
    default = "head" if args.action == "upgrade" else "-1"
    try:
        _migrate(settings.database_url, args.action, args.revision or default)
    except StartError as exc:
        return _fail(exc)
    print(f"bookbytes: database {args.action} done")
    return 0


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1-65535."""
    import argparse

    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


__all__ = ["db", "port_number", "serve", "unusable_services", "worker"]
