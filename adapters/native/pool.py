"""A small pool of child processes for native engines: a crash or a hang costs one call.

C libraries (espeak-ng now; OCR and audio encoders later) can abort, segfault or hang on odd
input. Run in a child process, that kills the child, not the server: the call fails with a
retryable error and the next call gets a new child.

Each child is a one-worker ``ProcessPoolExecutor`` started with ``forkserver`` (``spawn`` where
there is none), never with ``fork`` from the threaded asyncio process. Children start on first
use. Knowing which child runs which call lets a timeout kill exactly the hung one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from adapters.native.errors import NativeCrash, NativeTimeout
from domain.errors import TransientUpstreamError

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

__all__ = ["ChildProcessPool"]

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 60.0


def default_start_method() -> str:
    """``forkserver`` where the platform has it (Linux, macOS), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class ChildProcessPool:
    """Runs picklable top-level functions in up to ``max_workers`` child processes.

    ``engine`` names what the children run, in error messages ("espeak-ng crashed ...").
    A call waits for a free child, then has ``timeout_s`` seconds (or its own) to finish.
    Use one pool from one event loop at a time; ``aclose()`` it at shutdown.
    """

    def __init__(
        self,
        engine: str,
        *,
        max_workers: int = 1,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        start_method: str | None = None,
    ) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self._engine = engine
        self._timeout_s = timeout_s
        context = multiprocessing.get_context(start_method or default_start_method())
        self._children = [_Child(context) for _ in range(max_workers)]
        self._idle: deque[_Child] = deque(self._children)
        self._waiters: list[asyncio.Future[None]] = []
        self._closed = False

    def pids(self) -> list[int]:
        """Process ids of the children started and not (yet known to be) dead or stopped."""
        return [child.pid for child in self._children if child.pid is not None]

    async def run(self, fn: Callable[..., T], /, *args: Any, timeout_s: float | None = None) -> T:
        """``fn(*args)`` in a child process.

        ``fn`` must be a top-level function; it, ``args``, its result and its exceptions
        must pickle.

        Raises:
            NativeCrash: the child died during the call; the next call gets a new one.
            NativeTimeout: no answer within ``timeout_s`` (default: the pool's); the child
                was killed and the next call gets a new one.
            TransientUpstreamError: the pool is closed.
            Exception: whatever ``fn`` raised, as it raised it (the child lives on).
        """
        limit = timeout_s or self._timeout_s
        child = await self._checkout()
        try:
            async with asyncio.timeout(limit) as deadline:
                return await child.call(fn, args)
        except BrokenProcessPool:
            status = await asyncio.to_thread(_stop, child.detach(), kill=False)
            if self._closed:
                raise TransientUpstreamError(f"{self._engine} is shut down") from None
            raise NativeCrash(
                f"{self._engine} crashed ({_describe(status)}) and was replaced; retry"
            ) from None
        except TimeoutError:
            if not deadline.expired():
                raise  # fn's own TimeoutError
            await asyncio.to_thread(_stop, child.detach(), kill=True)
            raise NativeTimeout(
                f"{self._engine} did not finish within {limit:g} s and was killed; retry"
            ) from None
        except asyncio.CancelledError:
            _stop(child.detach(), kill=True, wait=False)  # the call is abandoned
            raise
        finally:
            self._checkin(child)

    def close(self) -> None:
        """Stop every child now (blocking): idle ones exit, busy ones are killed."""
        _stop_all(self._shut())

    async def aclose(self) -> None:
        """``close()`` without blocking the event loop."""
        await asyncio.to_thread(_stop_all, self._shut())

    def _shut(self) -> list[tuple[ProcessPoolExecutor | None, bool]]:
        """Refuse new calls, wake the waiting ones, detach every child (and whether busy)."""
        self._closed = True
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        return [(child.detach(), child not in self._idle) for child in self._children]

    async def _checkout(self) -> _Child:
        """A free child, the most recently used first (it is warm); waits for one if none."""
        while not self._closed and not self._idle:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_next()  # woken, then cancelled: pass the turn on
                raise
            finally:
                self._waiters.remove(waiter)
        if self._closed:
            raise TransientUpstreamError(f"{self._engine} is shut down")
        return self._idle.pop()

    def _checkin(self, child: _Child) -> None:
        self._idle.append(child)
        self._wake_next()

    def _wake_next(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
                return


class _Child:
    """One child process: a one-worker executor, started on first use, replaced when detached."""

    def __init__(self, context: BaseContext) -> None:
        self._context = context
        self._executor: ProcessPoolExecutor | None = None
        self.pid: int | None = None

    async def call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        """``fn(*args)`` in this child, which is started (or restarted) first if need be."""
        executor = await self._started()
        try:
            future: Future[T] = executor.submit(fn, *args)
        except BrokenProcessPool:  # it died while idle: start a new one for this call
            await asyncio.to_thread(_stop, self.detach(), kill=False)
            future = (await self._started()).submit(fn, *args)
        return await asyncio.wrap_future(future)

    def detach(self) -> ProcessPoolExecutor | None:
        """Forget the process (the next call starts a new one); its executor, to stop."""
        executor, self._executor, self.pid = self._executor, None, None
        return executor

    async def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            executor = ProcessPoolExecutor(max_workers=1, mp_context=self._context)
            self._executor = executor
            # Starting a process blocks (the forkserver may be starting too): not on the loop.
            first = await asyncio.to_thread(executor.submit, os.getpid)
            self.pid = await asyncio.wrap_future(first)
        return self._executor


def _stop(executor: ProcessPoolExecutor | None, *, kill: bool, wait: bool = True) -> int | None:
    """Shut ``executor`` down, SIGKILLing its process first if ``kill``.

    Returns the process's exit code (negative: the signal that ended it) once it is known.
    """
    if executor is None:
        return None
    # CPython keeps the worker processes here; without it only the exit code is lost.
    processes: list[BaseProcess] = list((getattr(executor, "_processes", None) or {}).values())
    if kill:
        for process in processes:
            process.kill()
    executor.shutdown(wait=wait, cancel_futures=True)
    return processes[0].exitcode if processes and wait else None


def _stop_all(executors: list[tuple[ProcessPoolExecutor | None, bool]]) -> None:
    for executor, busy in executors:
        _stop(executor, kill=busy)


def _describe(status: int | None) -> str:
    if status is None:
        return "exit status unknown"
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit code {status}"
