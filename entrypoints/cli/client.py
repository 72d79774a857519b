"""`bookbytes` commands for people at a terminal: talk to a running API over HTTP.

How they log in is in entrypoints/cli/api.py; exit codes are in entrypoints/cli/output.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from entrypoints.cli.api import (
    Api,
    ApiError,
    anonymous,
    api_error,
    connect,
    email_and_password,
    log_in,
)
from entrypoints.cli.output import (
    FINISHED,
    INTERRUPTED,
    CommandError,
    ProgressPrinter,
    progress_line,
    report,
    run,
)

if TYPE_CHECKING:
    import argparse


def register(args: argparse.Namespace) -> int:
    """Create an account; an email already registered with this password is fine too."""
    email, password = email_and_password(args)
    if not email or not password:
        raise CommandError(
            "register needs --email and --password (or BOOKBYTES_EMAIL/BOOKBYTES_PASSWORD)", 2
        )
    api = anonymous(args)
    credentials = {"email": email, "password": password}
    try:
        user = api.json("POST", "/api/v1/auth/register", json=credentials)
    except ApiError as exc:
        if exc.code != "email_taken":
            raise
        try:
            log_in(api, email, password)
        except ApiError:
            raise CommandError(
                f"{email} is already registered with another password: log in with that "
                "one, or register another email",
            ) from exc
        print(f"{email} is already registered (and this password logs in)")
        return 0
    print(f"registered {user['email']} ({user['id']})")
    return 0


def process(args: argparse.Namespace) -> int:
    """Submit an ISBN and follow its job to the end with a progress bar."""
    if args.local:
        from entrypoints.cli.local import process_locally
        from entrypoints.settings import Settings, SettingsError

        try:
            settings = Settings.from_env()
        except SettingsError as exc:
            raise CommandError(f"configuration error: {exc}", 2) from exc
        return process_locally(args, settings)
    api = connect(args)
    body: dict[str, Any] = {"isbn": args.isbn, "speed": args.speed}
    if args.voice:
        body["voice"] = args.voice
    if args.provider:
        body["provider"] = args.provider
    accepted = api.json("POST", "/api/v1/books/process", json=body)
    job_id = accepted["job_id"]
    print(
        f"job {job_id} ({'new' if accepted['created'] else 'already in flight'})", file=sys.stderr
    )
    if args.no_wait:
        print(job_id)
        return 0
    try:
        job = follow(api, job_id, args.poll_s)
    except KeyboardInterrupt:
        return interrupted(api, job_id, cancel=args.cancel_on_exit)
    return report(job)


def interrupted(api: Api, job_id: str, *, cancel: bool) -> int:
    """Ctrl-C while following a job: cancel it, or say it keeps running and how to stop it."""
    print(file=sys.stderr)
    if cancel:
        job = api.json("POST", f"/api/v1/jobs/{job_id}/cancel")
        print(f"bookbytes: interrupted; job {job_id} {job['status']}", file=sys.stderr)
        return INTERRUPTED
    print(
        f"bookbytes: interrupted; job {job_id} keeps running on the server.\n"
        f"  follow it:  bookbytes status {job_id}\n"
        f"  cancel it:  bookbytes cancel {job_id}\n"
        f"  or: curl -X POST {api.client.base_url}/api/v1/jobs/{job_id}/cancel "
        "-H 'Authorization: Bearer ...'",
        file=sys.stderr,
    )
    return INTERRUPTED


def follow(api: Api, job_id: str, poll_s: float) -> dict[str, Any]:
    """Poll a job until it finishes, drawing its progress."""
    printer = ProgressPrinter()
    while True:
        job: dict[str, Any] = api.json("GET", f"/api/v1/jobs/{job_id}")
        printer.show(job)
        if job["status"] in FINISHED:
            return job
        time.sleep(poll_s)


def books(args: argparse.Namespace) -> int:
    """List the catalogue."""
    page = connect(args).json(
        "GET", "/api/v1/books", params={"limit": args.limit, "offset": args.offset}
    )
    for book in page["items"]:
        print(f"{book['id']}  {book['title']} — {book['author']} [{book['language']}]")
    print(f"({len(page['items'])} of {page['total']})", file=sys.stderr)
    return 0


def chapters(args: argparse.Namespace) -> int:
    """List a book's chapters with their summaries."""
    listing = connect(args).json("GET", f"/api/v1/books/{args.book_id}/chapters")
    for chapter in listing["items"]:
        duration = chapter["duration_s"]
        audio = f"{duration:.1f} s audio" if duration else "no audio yet"
        print(
            f"{chapter['number']:3d}. {chapter['title']} ({chapter['word_count']} words, {audio})"
        )
        if args.summaries and chapter["summary"]:
            print(f"     {chapter['summary']}")
    return 0


def audio(args: argparse.Namespace) -> int:
    """Download a chapter's MP3 to a file (streamed, following S3 redirects)."""
    api = connect(args)
    path = f"/api/v1/books/{args.book_id}/chapters/{args.number}/audio"
    target = Path(args.output)
    try:
        with api.client.stream("GET", path, headers=api.headers, follow_redirects=True) as response:
            if response.status_code >= 400:
                response.read()
                raise api_error(response)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
    except httpx.HTTPError as exc:
        raise CommandError(f"download failed: {exc}", 2) from exc
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


def jobs(args: argparse.Namespace) -> int:
    """List your jobs, newest first."""
    page = connect(args).json("GET", "/api/v1/jobs", params={"limit": args.limit})
    for job in page["items"]:
        print(
            f"{job['id']}  {job['source']['ref']}  {job['status']:<10} {job['progress']:3d}%  "
            f"{job['current_step']}"
        )
    return 0


def status(args: argparse.Namespace) -> int:
    """Show one job, or (without a job id) whether the server is ready."""
    if args.job_id:
        job = connect(args).json("GET", f"/api/v1/jobs/{args.job_id}")
        print(progress_line(job))
        return report(job) if job["status"] in FINISHED else 0
    try:
        ready = anonymous(args, timeout_s=10.0).json("GET", "/health/ready")
    except CommandError as exc:  # 1: the server says it is not ready; 2: no server there
        print(f"bookbytes: not ready: {exc}", file=sys.stderr)
        return exc.exit_code
    checks = ", ".join(f"{name} {state}" for name, state in ready["checks"].items())
    print(f"{args.url}: ready ({checks})")
    return 0


def cancel(args: argparse.Namespace) -> int:
    """Cancel a job (a running one stops within seconds; finished chapters stay)."""
    job = connect(args).json("POST", f"/api/v1/jobs/{args.job_id}/cancel")
    print(f"job {job['id']} {job['status']}")
    return 0


def add_commands(commands: Any, default_url: str) -> None:
    """Register the terminal commands on the `bookbytes` sub-command parser."""

    def client_parser(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = commands.add_parser(name, help=help_text)
        p.add_argument("--url", default=default_url, help=f"API base URL (default {default_url})")
        p.add_argument("--token", help="access token (or BOOKBYTES_TOKEN)")
        p.add_argument("--api-key", help="API key in AUTH_MODE=api_key (or BOOKBYTES_API_KEY)")
        p.add_argument("--email", help="log in with this email (or BOOKBYTES_EMAIL)")
        p.add_argument("--password", help="and this password (or BOOKBYTES_PASSWORD)")
        p.set_defaults(func=lambda args: run(func, args))
        return p

    p = client_parser("register", register, "create an account on the API")
    p = client_parser("process", process, "submit an ISBN and follow the job with a progress bar")
    p.add_argument("isbn", help="ISBN-10 or ISBN-13 (hyphens allowed)")
    p.add_argument(
        "--voice", help="voice type (default, female, male, child) or an engine's voice id"
    )
    p.add_argument("--provider", help="speech engine (default: the server's TTS_PROVIDER)")
    p.add_argument("--speed", type=float, default=1.0, help="speech speed 0.5-2.0 (default 1.0)")
    p.add_argument("--no-wait", action="store_true", help="print the job id and return at once")
    p.add_argument(
        "--local",
        action="store_true",
        help="run the job in this process (no server; DATABASE_URL etc. from the environment)",
    )
    p.add_argument("--poll-s", type=float, default=1.0, help="seconds between polls")
    p.add_argument(
        "--cancel-on-exit",
        action="store_true",
        help="cancel the job on Ctrl-C (without it, the job keeps running on the server)",
    )
    p = client_parser("books", books, "list the catalogue")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    p = client_parser("chapters", chapters, "list a book's chapters")
    p.add_argument("book_id")
    p.add_argument("--summaries", action="store_true", help="print each summary too")
    p = client_parser("audio", audio, "download a chapter's MP3")
    p.add_argument("book_id")
    p.add_argument("number", type=int)
    p.add_argument("-o", "--output", required=True, help="file to write")
    p = client_parser("jobs", jobs, "list your jobs")
    p.add_argument("--limit", type=int, default=20)
    p = client_parser("status", status, "server readiness, or one job's progress")
    p.add_argument("job_id", nargs="?", help="a job id (omit to check the server)")
    p = client_parser("cancel", cancel, "cancel a job")
    p.add_argument("job_id")
    from entrypoints.cli.files import add_file_commands

    add_file_commands(client_parser)
