"""Functions for child-process tests: top-level, so a child process can unpickle them."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def add(a: int, b: int) -> int:
    return a + b


def abort() -> None:
    """Dies as a C library does on a failed check (glibc's "buffer overflow detected")."""
    os.abort()


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def fail(message: str) -> None:
    raise ValueError(message)


def mark_then_sleep(marker: str, seconds: float) -> int:
    """Creates ``marker`` (the call is running), sleeps, answers the child's pid."""
    Path(marker).touch()
    time.sleep(seconds)
    return os.getpid()
