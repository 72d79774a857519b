"""Native engines (C libraries) run in child processes, so a crash never takes the server down."""

from __future__ import annotations

from adapters.native.errors import NativeCrash, NativeTimeout
from adapters.native.pool import ChildProcessPool

__all__ = ["ChildProcessPool", "NativeCrash", "NativeTimeout"]
