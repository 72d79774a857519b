"""JobQueue contract: the in-process queue and SaqJobQueue (real Redis, in-test worker).

A harness is a queue plus a way to start what runs its jobs, ``runner(job_id)`` like the
job runner's ``run`` (which raises RetryJob to be run again later); for SAQ, a
DrainingWorker task on a queue name unique to the test.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from adapters.inprocess import InProcessJobQueue
from adapters.saq import DrainingWorker, QueueState, SaqJobQueue
from adapters.saq.queue import make_redis_queue, run_saq_job
from adapters.saq.worker import worker_options
from application.jobs.runner import RetryJob
from domain.errors import TransientUpstreamError
from tests.support.redis_db import RUN_ID

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path
    from typing import Any, TypeAlias

    Runner = Callable[[uuid.UUID], Awaitable[object]]
    Harness: TypeAlias = "InProcessHarness | SaqHarness"

MAX_ATTEMPTS = 3
WAIT_S = 10.0


class InProcessHarness:
    """The embedded queue: jobs run as tasks of this event loop, one at a time.

    Jobs enqueued before ``start`` wait for it, as they would for a slot.
    """

    def __init__(self) -> None:
        self.queue = InProcessJobQueue(self._run, max_jobs=1)
        self._runner: Runner | None = None
        self._started = asyncio.Event()

    async def _run(self, job_id: uuid.UUID) -> object:
        await self._started.wait()
        assert self._runner is not None
        return await self._runner(job_id)

    async def start(self, runner: Runner) -> None:
        self._runner = runner
        self._started.set()

    async def close(self) -> None:
        await self.queue.aclose(timeout_s=1)


class SaqHarness:
    """SAQ on Redis: a SaqJobQueue to enqueue, and a one-slot worker to run the jobs."""

    def __init__(self, url: str, grace_s: float = 1.0) -> None:
        self.url, self.name, self.grace_s = url, f"test-{RUN_ID}-{uuid.uuid4().hex[:8]}", grace_s
        self.queue = SaqJobQueue.from_url(url, name=self.name, max_attempts=MAX_ATTEMPTS)
        self.workers: list[tuple[DrainingWorker, asyncio.Task[None]]] = []

    async def start(self, runner: Runner) -> None:
        async def run_job(ctx: dict[str, Any], *, job_id: str) -> None:
            await run_saq_job(ctx, runner, job_id)

        worker = DrainingWorker(
            make_redis_queue(self.url, self.name),
            functions=[("run_job", run_job)],
            concurrency=1,
            shutdown_grace_period_s=self.grace_s,  # type: ignore[arg-type]  # SAQ says int
            **worker_options(),
        )
        self.workers.append((worker, asyncio.create_task(worker.start())))

    async def stop_worker(self, index: int = 0) -> None:
        worker, task = self.workers[index]
        await worker.stop()
        await asyncio.wait_for(task, WAIT_S)

    async def close(self) -> None:
        for index, (worker, _) in enumerate(self.workers):
            await self.stop_worker(index)
            await worker.queue.disconnect()
        redis = self.queue.saq_queue.redis
        for pattern in (f"saq:{self.name}:*", f"saq:job:{self.name}:*"):
            keys = [key async for key in redis.scan_iter(match=pattern)]
            if keys:
                await redis.delete(*keys)
        await self.queue.aclose()


@pytest.fixture(params=["inprocess", pytest.param("saq", marks=pytest.mark.redis)])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """Each queue adapter, ready to be started with a runner."""
    made: Harness = (
        SaqHarness(request.getfixturevalue("redis_url"))
        if request.param == "saq"
        else InProcessHarness()
    )
    yield made
    await made.close()


async def eventually(check: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
    """Wait until ``check()`` is true, or fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout_s} s")
        await asyncio.sleep(0.02)


class Recorder:
    """A runner that records its calls; for ids in ``blocked`` it waits for ``release``;
    its first ``retries`` calls ask to be run again (as the job runner does after a
    transient failure)."""

    def __init__(self, blocked: set[uuid.UUID] | None = None, *, retries: int = 0) -> None:
        self.calls: list[uuid.UUID] = []
        self.finished: list[uuid.UUID] = []
        self.interrupted: list[uuid.UUID] = []
        self.blocked, self.retries = blocked or set(), retries
        self.release = asyncio.Event()

    async def __call__(self, job_id: uuid.UUID) -> None:
        self.calls.append(job_id)
        if len(self.calls) <= self.retries:
            cause = TransientUpstreamError("the upstream is down")
            raise RetryJob(job_id, len(self.calls), 0.05, cause) from cause
        try:
            if job_id in self.blocked:
                await self.release.wait()
        except asyncio.CancelledError:
            self.interrupted.append(job_id)
            raise
        self.finished.append(job_id)


async def test_the_queue_holds_a_job_until_it_has_run(harness: Harness) -> None:
    job_id = uuid.uuid4()
    runner = Recorder(blocked={job_id})
    assert not await harness.queue.holds(job_id)
    await harness.queue.enqueue(job_id)
    assert await harness.queue.holds(job_id)  # waiting
    await harness.start(runner)
    await eventually(lambda: runner.calls == [job_id])
    assert await harness.queue.holds(job_id)  # running
    runner.release.set()
    await eventually(lambda: runner.finished == [job_id])
    deadline = time.monotonic() + WAIT_S
    while await harness.queue.holds(job_id):
        assert time.monotonic() < deadline, "still held after it finished"
        await asyncio.sleep(0.02)


async def test_enqueue_runs_the_job_exactly_once(harness: Harness) -> None:
    runner = Recorder()
    await harness.start(runner)
    job_id = uuid.uuid4()

    await harness.queue.enqueue(job_id)

    await eventually(lambda: runner.finished == [job_id])
    await asyncio.sleep(1.5)
    assert runner.calls == [job_id]


async def test_enqueuing_a_queued_or_running_job_again_does_nothing(harness: Harness) -> None:
    job_id = uuid.uuid4()
    runner = Recorder(blocked={job_id})
    await harness.start(runner)

    await harness.queue.enqueue(job_id)
    await harness.queue.enqueue(job_id)
    await eventually(lambda: runner.calls == [job_id])
    await harness.queue.enqueue(job_id)
    runner.release.set()

    await eventually(lambda: runner.finished == [job_id])
    await asyncio.sleep(1.5)
    assert runner.calls == [job_id]


async def test_cancelling_a_queued_job_keeps_it_from_running(harness: Harness) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    runner = Recorder(blocked={first})
    await harness.start(runner)
    await harness.queue.enqueue(first)
    await eventually(lambda: runner.calls == [first])

    await harness.queue.enqueue(second)
    await harness.queue.cancel(second)
    runner.release.set()

    await eventually(lambda: runner.finished == [first])
    await asyncio.sleep(1.5)
    assert second not in runner.calls


async def test_cancelling_a_running_job_interrupts_it_within_seconds(harness: Harness) -> None:
    job_id = uuid.uuid4()
    runner = Recorder(blocked={job_id})
    await harness.start(runner)
    await harness.queue.enqueue(job_id)
    await eventually(lambda: runner.calls == [job_id])

    await harness.queue.cancel(job_id)

    await eventually(lambda: runner.interrupted == [job_id], timeout_s=5)
    assert runner.finished == []


async def test_ping_succeeds_while_the_queue_is_up(harness: Harness) -> None:
    await harness.queue.ping()


async def test_a_job_the_runner_asks_to_retry_runs_again_until_it_ends(
    harness: Harness,
) -> None:
    runner = Recorder(retries=MAX_ATTEMPTS - 1)
    await harness.start(runner)
    job_id = uuid.uuid4()
    started = time.monotonic()
    await harness.queue.enqueue(job_id)

    await eventually(lambda: runner.finished == [job_id])
    assert time.monotonic() - started >= 0.1  # two retries, each after the asked 0.05 s
    await asyncio.sleep(1.5)
    assert runner.calls == [job_id] * MAX_ATTEMPTS


@pytest.fixture
async def saq(redis_url: str) -> AsyncIterator[SaqHarness]:
    """SAQ only: a harness whose workers give running jobs half a second at shutdown."""
    made = SaqHarness(redis_url, grace_s=0.5)
    yield made
    await made.close()


async def test_saq_ping_fails_when_redis_is_unreachable() -> None:
    queue = SaqJobQueue.from_url("redis://127.0.0.1:1/0", name="unreachable")
    with pytest.raises(TransientUpstreamError):
        await queue.ping()
    await queue.aclose()


async def test_saq_stopped_worker_requeues_its_running_job_for_another(saq: SaqHarness) -> None:
    job_id = uuid.uuid4()
    runner = Recorder(blocked={job_id})
    await saq.start(runner)
    await saq.queue.enqueue(job_id)
    await eventually(lambda: runner.calls == [job_id])

    await saq.stop_worker(0)  # grace 0.5 s, then cancelled and re-queued
    assert runner.interrupted == [job_id]

    runner.release.set()
    await saq.start(runner)
    await eventually(lambda: runner.finished == [job_id])
    assert runner.calls == [job_id, job_id]


async def test_saq_stopping_worker_takes_no_new_job(saq: SaqHarness) -> None:
    runner = Recorder()
    await saq.start(runner)
    await asyncio.sleep(0.5)  # the idle slot is now blocked on Redis for a job
    stopping = asyncio.create_task(saq.stop_worker(0))
    await asyncio.sleep(0.05)
    job_id = uuid.uuid4()

    await saq.queue.enqueue(job_id)  # the stopping worker may dequeue it: it hands it back
    await stopping

    assert runner.calls == []
    await saq.start(runner)
    await eventually(lambda: runner.finished == [job_id])


async def test_recovery_requeues_or_fails_only_jobs_nothing_will_run(
    saq: SaqHarness, tmp_path: Path
) -> None:
    from dependency_injector.providers import Object

    from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
    from domain.job import Job, JobStatus
    from entrypoints.container import build_container
    from entrypoints.settings import Settings
    from entrypoints.worker.recovery import recover
    from tests.support.jobs import make_job

    container = build_container(Settings(queue_url=saq.url, storage_local_path=tmp_path))
    container.core.uow_factory.override(Object(uow_factory := MemoryUnitOfWorkFactory()))
    container.jobs.queue.override(Object(saq.queue))
    now = datetime.now(UTC)
    old = now - timedelta(minutes=10)

    def job(status: JobStatus, updated_at: datetime = old, attempts: int = 1) -> Job:
        return make_job(at=old, updated_at=updated_at, status=status, attempts=attempts)

    lost, queued = job(JobStatus.PROCESSING), job(JobStatus.PROCESSING)
    exhausted = job(JobStatus.PROCESSING, attempts=MAX_ATTEMPTS)
    never_queued, busy = job(JobStatus.PENDING, attempts=0), job(JobStatus.PROCESSING, now)
    async with uow_factory() as uow:
        for each in (lost, exhausted, queued, never_queued, busy):
            await uow.jobs.add(each)
        await uow.commit()
    await saq.queue.enqueue(queued.id)
    stale_tmp, fresh_tmp = tmp_path / ".1.mp3.x.tmp", tmp_path / ".2.mp3.y.tmp"
    for path in (stale_tmp, fresh_tmp):
        path.write_bytes(b"partial")
    os.utime(stale_tmp, (time.time() - 7200, time.time() - 7200))

    report = await recover(container)

    assert report.as_dict() == {"requeued": 2, "failed": 1, "temp_files_removed": 1}
    for requeued in (lost, never_queued):
        assert await saq.queue.state(requeued.id) is QueueState.WAITING
    assert await saq.queue.state(busy.id) is QueueState.GONE
    async with uow_factory() as uow:
        failed = await uow.jobs.get(exhausted.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.error is not None and failed.error.code == "worker_lost"
    assert not stale_tmp.exists() and fresh_tmp.exists()
