"""`bookbytes upload` and `bookbytes audiobook`: books from files, over the HTTP API.

``upload FILE`` sends the file (streamed), prints the chapters the server found, starts
the job (``--mode``, ``--voice``, ``--chapters 1-5,9`` ...) and follows it with the
progress bar; ``audiobook BOOK_ID -o book.m4b`` downloads the whole book as one file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from domain.upload import parse_ranges
from entrypoints.cli.api import Api, api_error, connect
from entrypoints.cli.client import follow
from entrypoints.cli.output import CommandError, report

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

UPLOAD_TIMEOUT_S = 600.0


def upload(args: argparse.Namespace) -> int:
    """Upload a book file, show its chapters, make it, follow the job."""
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no such file: {path}", 2)
    chapters = _chapters(args.chapters)
    api = connect(args)
    with path.open("rb") as file:
        found = api.json(
            "POST", "/api/v1/uploads", files={"file": (path.name, file)}, timeout=UPLOAD_TIMEOUT_S
        )
    _describe(found)
    if args.detect_only:
        print(found["upload_id"])
        return 0
    body: dict[str, Any] = {"mode": args.mode, "speed": args.speed}
    for name in ("voice", "provider"):
        if getattr(args, name):
            body[name] = getattr(args, name)
    if chapters is not None:
        body["chapters"] = chapters
    accepted = api.json("POST", f"/api/v1/uploads/{found['upload_id']}/process", json=body)
    job_id = accepted["job_id"]
    print(
        f"job {job_id} ({'new' if accepted['created'] else 'already in flight'})", file=sys.stderr
    )
    if args.no_wait:
        print(job_id)
        return 0
    job = follow(api, job_id, args.poll_s)
    code = report(job)
    for fmt, url in ((job.get("result") or {}).get("audiobook") or {}).items():
        print(f"{fmt}: {url}")
    return code


def _chapters(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        return list(parse_ranges(text))
    except ValueError as exc:
        raise CommandError(f"--chapters: {exc} (write them like 1-5,9)", 2) from exc


def _describe(found: dict[str, Any]) -> None:
    estimate = found["estimate"]
    hours = estimate["speech_seconds"] / 3600
    print(
        f"{found['title']} — {found['author']} [{found['language']}, {found['format']}]: "
        f"{len(found['chapters'])} chapters, {estimate['words']} words, "
        f"about {hours:.1f} h read in full",
        file=sys.stderr,
    )
    for chapter in found["chapters"]:
        print(f"  {chapter['number']:3d}. {chapter['title']} ({chapter['words']} words)",
              file=sys.stderr)  # fmt: skip


def audiobook(args: argparse.Namespace) -> int:
    """Download the whole book as one M4B or MP3 (streamed, following S3 redirects)."""
    target = Path(args.output)
    fmt = args.format or ("mp3" if target.suffix.lower() == ".mp3" else "m4b")
    params = {"format": fmt}
    if args.rendition:
        params["rendition"] = args.rendition
    api = connect(args)
    _download(api, f"/api/v1/books/{args.book_id}/audiobook", params, target)
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


def _download(api: Api, path: str, params: dict[str, str], target: Path) -> None:
    try:
        with api.client.stream(
            "GET", path, params=params, headers=api.headers, follow_redirects=True,
            timeout=UPLOAD_TIMEOUT_S,
        ) as response:  # fmt: skip
            if response.status_code >= 400:
                response.read()
                raise api_error(response)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
    except httpx.HTTPError as exc:
        raise CommandError(f"download failed: {exc}", 2) from exc


def add_file_commands(client_parser: Callable[[str, Any, str], argparse.ArgumentParser]) -> None:
    """Register ``upload`` and ``audiobook``."""
    p = client_parser(
        "upload",
        upload,
        "upload a book file (EPUB, PDF, TXT, HTML, FB2, DOCX, MOBI, AZW3) and make it audio",
    )
    p.add_argument("file", help="the book file")
    p.add_argument("--mode", default="full",
                   help="full (default), summary, explanation or summary_explanation")  # fmt: skip
    p.add_argument("--voice", help="voice type (default, female, male, child) or a voice id")
    p.add_argument("--provider", help="speech engine (default: the server's TTS_PROVIDER)")
    p.add_argument("--speed", type=float, default=1.0, help="speech speed 0.5-2.0")
    p.add_argument("--chapters", help="which chapters, like 1-5,9 (default: all)")
    p.add_argument("--detect-only", action="store_true",
                   help="only upload and show the chapters; print the upload id")  # fmt: skip
    p.add_argument("--no-wait", action="store_true", help="print the job id and return at once")
    p.add_argument("--poll-s", type=float, default=1.0, help="seconds between polls")
    p = client_parser("audiobook", audiobook, "download a book as one M4B or MP3")
    p.add_argument("book_id")
    p.add_argument("-o", "--output", required=True, help="file to write (.m4b or .mp3)")
    p.add_argument("--format", choices=["m4b", "mp3"], help="default: from the file name")
    p.add_argument("--rendition", help="which rendition (default: the latest complete)")


__all__ = ["add_file_commands"]
