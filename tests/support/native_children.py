"""Functions for child-process tests: top-level, so a child process can unpickle them."""

from __future__ import annotations

import os
import signal
import tempfile
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


def espeak_voice_problems(voices: list[str]) -> list[str]:
    """The voices this child's espeak-ng refuses, and what it printed to stderr setting them.

    Loads the C library: run it in a child process only.
    """
    from adapters.espeak.library import espeak_library

    library = espeak_library()
    problems = []
    with tempfile.TemporaryFile() as captured:
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)  # espeak-ng reports missing files on stderr
        try:
            for voice in voices:
                try:
                    library.set_voice(voice, 175)
                except LookupError:
                    problems.append(voice)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        problems += captured.read().decode(errors="replace").splitlines()
    return problems


def espeak_is_loaded() -> bool:
    """Whether libespeak-ng is mapped into this process (Linux)."""
    return "libespeak-ng" in Path("/proc/self/maps").read_text()
