"""The `bookbytes` command: serve the API, run a worker, migrate the database, and the
terminal commands (process, books, chapters, audio, jobs, status) in entrypoints.terminal."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import TYPE_CHECKING

from entrypoints.settings import Settings, SettingsError
from entrypoints.terminal import add_commands

if TYPE_CHECKING:
    from collections.abc import Sequence


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
        container.tokens()  # fail now, not on first login, when no JWT key is usable
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `bookbytes`."""
    parser = argparse.ArgumentParser(
        prog="bookbytes",
        description="BookBytes: chapter-by-chapter book summaries and audio. "
        "Configuration comes from environment variables (see .env.example).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "serve", help="run the HTTP API (and in-process jobs without QUEUE_URL)"
    )
    p.add_argument("--host", help="interface to listen on (default HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default PORT or 8000)")
    p.set_defaults(func=serve)

    p = commands.add_parser("worker", help="run a job worker (SAQ on QUEUE_URL)")
    p.set_defaults(func=worker)

    p = commands.add_parser("db", help="migrate the database schema")
    p.add_argument("action", choices=["upgrade", "downgrade"])
    p.add_argument("--revision", help="target revision (default: head / one step down)")
    p.set_defaults(func=db)

    add_commands(commands, default_url=_default_url())
    return parser


def _default_url() -> str:
    """Where the terminal commands find the API: BOOKBYTES_URL, else HOST/PORT."""
    url = os.environ.get("BOOKBYTES_URL")
    if url:
        return url
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('PORT') or 8000}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `bookbytes` console script."""
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
