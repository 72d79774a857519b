"""Server commands: ``serve`` (the API), ``worker`` (a SAQ worker), ``db`` (migrations)."""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

from entrypoints.settings import Settings, SettingsError

if TYPE_CHECKING:
    import argparse


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def serve(args: argparse.Namespace) -> int:
    """Run the API with uvicorn (and, without QUEUE_URL, the jobs in-process)."""
    import uvicorn

    from adapters.sqlalchemy.migrate import upgrade
    from entrypoints.container import build_container
    from entrypoints.http.app import asgi_app
    from entrypoints.log_config import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    warn_about_unusable_services(settings)
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)  # the embedded mode migrates itself on start
    try:
        container = build_container(settings)
        container.accounts.tokens()  # fail now, not on first login, when no JWT key is usable
        app = asgi_app(container)
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        return 2
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
    """Run a SAQ worker (needs QUEUE_URL) until SIGTERM or Ctrl-C."""
    from entrypoints.log_config import configure_logging
    from entrypoints.worker import run_worker

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    warn_about_unusable_services(settings)
    try:
        return run_worker(settings)
    except SettingsError as exc:
        print(f"bookbytes: configuration error: {exc}", file=sys.stderr)
        return 2


def warn_about_unusable_services(settings: Settings) -> None:
    """Say at start, not at the first job, when a selected service cannot work."""
    import structlog

    log = structlog.get_logger("bookbytes")
    uses_openai = settings.llm_provider == "openai" or "openai" in (
        settings.tts_provider,
        *settings.tts_fallback,
    )
    if uses_openai and not settings.openai_api_key and not settings.openai_base_url:
        log.warning(
            "OPENAI_API_KEY is not set: jobs will fail at the outline step. Set it, point "
            "OPENAI_BASE_URL at an OpenAI-compatible server, or use LLM_PROVIDER=memory "
            "(canned text) for a try-out"
        )


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def db(args: argparse.Namespace) -> int:
    """Migrate the database up to head or down one revision (or to --revision)."""
    from adapters.sqlalchemy.migrate import downgrade, upgrade

    settings = _settings()
    if args.action == "upgrade":
        upgrade(settings.database_url, args.revision or "head")
    else:
        downgrade(settings.database_url, args.revision or "-1")
    print(f"bookbytes: database {args.action} done")
    return 0


__all__ = ["db", "serve", "worker"]
