"""What the terminal commands print: the progress bar, a job's outcome, errors and exit codes.

Exit codes: 0 done, 1 the API refused (its message is printed), 2 usage or connection
error, 3 the job ended failed or cancelled, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from domain.job import Job

FINISHED = {"completed", "failed", "cancelled"}
BAR_WIDTH = 30
INTERRUPTED = 130


class CommandError(Exception):
    """A failure to report on stderr with an exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def job_view(job: Job) -> dict[str, Any]:
    """A job as the API shows it (the fields the progress bar and report read)."""
    error = job.error
    return {
        "id": str(job.id),
        "status": str(job.status),
        "progress": job.progress,
        "current_step": job.current_step,
        "result": job.result,
        "error": None if error is None else {"code": error.code, "message": error.message},
    }


class ProgressPrinter:
    """Draws a job's progress on stderr: one redrawn line on a terminal, else a line per change.

    On a terminal the line is cut to the terminal's width (read at each redraw, so a resized
    window is followed): a longer line would wrap, and ``\r`` only redraws its last part.
    """

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.last = ""

    def show(self, job: dict[str, Any]) -> None:
        if self.interactive:
            # One column short of the width: a full line leaves some terminals' cursors
            # past the edge, and the next redraw would start on a new line.
            line = progress_line(job, terminal_width() - 1)
            end = "\n" if job["status"] in FINISHED else ""
            print(f"\r\033[K{line}", end=end, file=sys.stderr, flush=True)
        else:
            line = progress_line(job)
            if line != self.last:
                print(line, file=sys.stderr)
        self.last = line


def terminal_width() -> int:
    """Columns of the terminal stderr draws on (COLUMNS wins; 80 when there is none)."""
    if not os.environ.get("COLUMNS"):
        try:
            return os.get_terminal_size(sys.stderr.fileno()).columns
        except (OSError, ValueError):
            pass
    return shutil.get_terminal_size().columns


def progress_line(job: dict[str, Any], width: int | None = None) -> str:
    """``[#########.....]  45% processing  chapters: 2/5 done``, cut to ``width`` columns.

    A narrow width shortens the step text first (ending it with ``…``), then the bar.
    """
    percent = f"{int(job['progress']):3d}% {job['status']:<10} "
    step = str(job["current_step"] or "")
    bar_width = BAR_WIDTH
    if width is not None:
        bar_width = max(0, min(BAR_WIDTH, width - len(percent) - 2 - 12))
    done = bar_width * int(job["progress"]) // 100
    bar = f"[{'#' * done}{'.' * (bar_width - done)}] " if bar_width else ""
    line = f"{bar}{percent}{step}".rstrip()
    if width is not None and len(line) > width:
        line = line[: max(0, width - 1)] + "…" if width > 0 else ""
    return line


def report(job: dict[str, Any]) -> int:
    """Print a finished job's outcome; the exit code says how it ended."""
    if job["status"] == "completed":
        result = job["result"]
        print(f"completed: book {result['book_id']}, {result['chapters']} chapters")
        return 0
    error = job.get("error") or {}
    reason = f": {error.get('message')} ({error.get('code')})" if error else ""
    print(f"job {job['id']} {job['status']}{reason}", file=sys.stderr)
    return 3


def run(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a terminal command, turning CommandError into a message and an exit code."""
    try:
        return command(args)
    except CommandError as exc:
        print(f"bookbytes: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return INTERRUPTED


__all__ = [
    "FINISHED",
    "INTERRUPTED",
    "CommandError",
    "ProgressPrinter",
    "job_view",
    "progress_line",
    "report",
    "run",
]
