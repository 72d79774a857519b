"""The `bookbytes` command.

- server.py: ``serve`` (the API), ``worker`` (a SAQ worker), ``db upgrade|downgrade``;
- client.py: commands for people at a terminal, talking to a running API over HTTP
  (register, process, books, chapters, audio, jobs, status);
- local.py: ``process --local``, a job run in this process without a server;
- output.py: the progress bar, outcomes and exit codes.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from entrypoints.cli.client import add_commands
from entrypoints.cli.server import db, port_number, serve, worker

if TYPE_CHECKING:
    from collections.abc import Sequence


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
    p.add_argument(
        "--port", type=port_number, help="port to listen on, 1-65535 (default PORT or 8000)"
    )
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
