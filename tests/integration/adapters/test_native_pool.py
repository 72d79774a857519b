"""ChildProcessPool with real child processes: crashes, kills and hangs cost one call only."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import TYPE_CHECKING

import pytest

from adapters.native import ChildProcessPool, NativeCrash, NativeTimeout
from domain.errors import TransientUpstreamError
from tests.support import native_children as children

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


@pytest.fixture(params=["forkserver", "spawn"])
async def pool(request: pytest.FixtureRequest) -> AsyncIterator[ChildProcessPool]:
    pool = ChildProcessPool("test-engine", timeout_s=5, start_method=request.param)
    yield pool
    await pool.aclose()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def until_exists(path: Path) -> None:
    for _ in range(500):
        if await asyncio.to_thread(path.exists):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{path} never appeared")


async def test_no_child_starts_before_the_first_call() -> None:
    pool = ChildProcessPool("test-engine")

    assert pool.pids() == []


async def test_runs_the_function_in_a_child_process(pool: ChildProcessPool) -> None:
    assert await pool.run(children.add, 2, 3) == 5
    child_pid = await pool.run(os.getpid)

    assert child_pid != os.getpid()
    assert pool.pids() == [child_pid]


async def test_the_function_s_own_errors_pass_through_and_the_child_lives_on(
    pool: ChildProcessPool,
) -> None:
    await pool.run(children.add, 1, 1)
    before = pool.pids()

    with pytest.raises(ValueError, match="boom"):
        await pool.run(children.fail, "boom")

    assert pool.pids() == before
    assert await pool.run(children.add, 1, 2) == 3


async def test_an_abort_in_the_child_is_a_retryable_error_and_the_next_call_works(
    pool: ChildProcessPool,
) -> None:
    crashed_pid = await pool.run(os.getpid)

    with pytest.raises(NativeCrash, match=r"test-engine crashed \(killed by SIGABRT\)") as caught:
        await pool.run(children.abort)

    assert isinstance(caught.value, TransientUpstreamError)
    assert (caught.value.code, caught.value.retryable) == ("native_engine_crashed", True)
    assert await pool.run(children.add, 1, 2) == 3
    assert pool.pids() != [crashed_pid]
    assert not alive(crashed_pid)


async def test_a_child_that_kills_itself_is_a_clean_error(pool: ChildProcessPool) -> None:
    with pytest.raises(NativeCrash, match="SIGKILL"):
        await pool.run(children.kill_self)

    assert await pool.run(children.add, 2, 2) == 4


async def test_a_child_killed_from_outside_mid_call_fails_that_call_only(
    pool: ChildProcessPool, tmp_path: Path
) -> None:
    marker = tmp_path / "running"
    call = asyncio.create_task(pool.run(children.mark_then_sleep, str(marker), 30))
    await until_exists(marker)
    [victim] = pool.pids()

    os.kill(victim, signal.SIGKILL)

    with pytest.raises(NativeCrash, match="killed by SIGKILL"):
        await call
    assert await pool.run(children.add, 3, 4) == 7
    assert victim not in pool.pids()


async def test_a_hung_child_is_killed_at_the_timeout_and_replaced(
    pool: ChildProcessPool,
) -> None:
    hung_pid = await pool.run(os.getpid)
    started = time.perf_counter()

    with pytest.raises(NativeTimeout, match=r"within 0\.3 s") as caught:
        await pool.run(time.sleep, 30, timeout_s=0.3)

    assert time.perf_counter() - started < 2
    assert (caught.value.code, caught.value.retryable) == ("native_engine_timeout", True)
    assert not alive(hung_pid)
    assert await pool.run(children.add, 5, 5) == 10


async def test_a_cancelled_call_kills_its_child(pool: ChildProcessPool, tmp_path: Path) -> None:
    marker = tmp_path / "running"
    call = asyncio.create_task(pool.run(children.mark_then_sleep, str(marker), 30))
    await until_exists(marker)
    [busy] = pool.pids()

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call

    assert await pool.run(children.add, 1, 1) == 2
    assert busy not in pool.pids()


async def test_calls_share_at_most_max_workers_children(tmp_path: Path) -> None:
    pool = ChildProcessPool("test-engine", max_workers=2, timeout_s=5)
    try:
        pids = await asyncio.gather(
            *(pool.run(children.mark_then_sleep, str(tmp_path / f"{n}"), 0.1) for n in range(6))
        )
    finally:
        await pool.aclose()

    assert len(set(pids)) == 2


async def test_a_crash_in_one_child_spares_the_call_in_the_other(tmp_path: Path) -> None:
    pool = ChildProcessPool("test-engine", max_workers=2, timeout_s=5)
    try:
        marker = tmp_path / "running"
        slow = asyncio.create_task(pool.run(children.mark_then_sleep, str(marker), 0.3))
        await until_exists(marker)

        with pytest.raises(NativeCrash):
            await pool.run(children.abort)
        assert await slow in pool.pids()
    finally:
        await pool.aclose()


async def test_aclose_stops_the_children_and_refuses_new_calls(pool: ChildProcessPool) -> None:
    child_pid = await pool.run(os.getpid)

    await pool.aclose()

    assert pool.pids() == []
    assert not alive(child_pid)
    with pytest.raises(TransientUpstreamError, match="shut down"):
        await pool.run(children.add, 1, 1)
