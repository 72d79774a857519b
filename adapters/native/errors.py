"""Errors of native engines run in child processes: both are transient (retry later)."""

from __future__ import annotations

from domain.errors import TransientUpstreamError

__all__ = ["NativeCrash", "NativeTimeout"]


class NativeCrash(TransientUpstreamError):
    """The child process running a native engine died (a signal, abort or exit) mid-call."""

    code = "native_engine_crashed"


class NativeTimeout(TransientUpstreamError):
    """A native engine did not answer in time; its child process was killed."""

    code = "native_engine_timeout"
