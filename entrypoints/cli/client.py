"""`bookbytes` commands for people at a terminal: talk to a running API over HTTP.

Authentication, in order: --token / BOOKBYTES_TOKEN (an access token), --api-key /
BOOKBYTES_API_KEY, or --email + --password / BOOKBYTES_EMAIL + BOOKBYTES_PASSWORD (logs in).
Exit codes are in entrypoints/cli/output.py.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from entrypoints.cli.output import (
    FINISHED,
    CommandError,
    ProgressPrinter,
    progress_line,
    report,
    run,
)

if TYPE_CHECKING:
    import argparse


@dataclass
class Api:
    """A small client of the BookBytes HTTP API."""

    client: httpx.Client
    headers: dict[str, str]

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, headers=self.headers, **kwargs)
        except httpx.HTTPError as exc:
            raise CommandError(f"cannot reach {self.client.base_url}: {exc}", 2) from exc
        if response.status_code >= 400:
            raise CommandError(api_message(response))
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.call(method, path, **kwargs).json()


def api_message(response: httpx.Response) -> str:
    """The API's error message and code from an error response."""
    try:
        error = response.json()["error"]
        return f"{error['message']} ({error['code']}, HTTP {response.status_code})"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"


def connect(args: argparse.Namespace) -> Api:
    """An authenticated client from the command's options and the environment."""
    client = httpx.Client(base_url=args.url, timeout=30.0)
    token = args.token or os.environ.get("BOOKBYTES_TOKEN")
    api_key = args.api_key or os.environ.get("BOOKBYTES_API_KEY")
    if token:
        return Api(client, {"Authorization": f"Bearer {token}"})
    if api_key:
        return Api(client, {"X-API-Key": api_key})
    email = args.email or os.environ.get("BOOKBYTES_EMAIL")
    password = os.environ.get("BOOKBYTES_PASSWORD") if args.password is None else args.password
    if not email or not password:
        raise CommandError(
            "no credentials: pass --token, --api-key, or --email and --password "
            "(or set BOOKBYTES_TOKEN, BOOKBYTES_API_KEY, BOOKBYTES_EMAIL/BOOKBYTES_PASSWORD)",
            2,
        )
    anonymous = Api(client, {})
    pair = anonymous.json("POST", "/api/v1/auth/login", json={"email": email, "password": password})
    return Api(client, {"Authorization": f"Bearer {pair['access_token']}"})


def register(args: argparse.Namespace) -> int:
    """Create an account."""
    email = args.email or os.environ.get("BOOKBYTES_EMAIL")
    password = os.environ.get("BOOKBYTES_PASSWORD") if args.password is None else args.password
    if not email or not password:
        raise CommandError(
            "register needs --email and --password (or BOOKBYTES_EMAIL/BOOKBYTES_PASSWORD)", 2
        )
    api = Api(httpx.Client(base_url=args.url, timeout=30.0), {})
    user = api.json("POST", "/api/v1/auth/register", json={"email": email, "password": password})
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
    job = follow(api, job_id, args.poll_s)
    return report(job)


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
                raise CommandError(api_message(response))
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
    api = Api(httpx.Client(base_url=args.url, timeout=10.0), {})
    try:
        ready = api.json("GET", "/health/ready")
    except CommandError as exc:
        print(f"not ready: {exc}", file=sys.stderr)
        return 1
    checks = ", ".join(f"{name} {state}" for name, state in ready["checks"].items())
    print(f"{args.url}: ready ({checks})")
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
    from entrypoints.cli.files import add_file_commands

    add_file_commands(client_parser)
