"""RecoverStuckJobs on the memory adapters: only quiet jobs nothing holds are touched."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

from application.jobs.recover_stuck_jobs import RecoveredJobs, RecoverStuckJobs
from domain.job import Job, JobStatus
from tests.support.jobs import make_job
from tests.unit.application.conftest import World


async def add(world: World, status: JobStatus, attempts: int, age_s: float) -> Job:
    now = world.clock.now()
    job = make_job(
        uuid.UUID(int=7),
        f"isbn-{uuid.uuid4().hex[:8]}",
        now - timedelta(seconds=age_s),
        status=status,
        attempts=attempts,
    )
    async with world.uow() as uow:
        await uow.jobs.add(job)
        await uow.commit()
    return job


def recover(world: World) -> RecoverStuckJobs:
    return RecoverStuckJobs(
        uow_factory=world.uow,
        queue=world.queue,
        clock=world.clock,
        max_attempts=3,
        stale_after=timedelta(minutes=2),
    )


async def test_quiet_jobs_nothing_holds_are_requeued_or_failed(world: World) -> None:
    lost = await add(world, JobStatus.PROCESSING, attempts=1, age_s=600)
    never_queued = await add(world, JobStatus.PENDING, attempts=0, age_s=600)
    exhausted = await add(world, JobStatus.PROCESSING, attempts=3, age_s=600)
    held = await add(world, JobStatus.PROCESSING, attempts=1, age_s=600)
    busy = await add(world, JobStatus.PROCESSING, attempts=1, age_s=10)
    finished = await add(world, JobStatus.COMPLETED, attempts=1, age_s=600)
    world.queue.queued.append(held.id)

    assert await recover(world)() == RecoveredJobs(requeued=2, failed=1)

    assert world.queue.queued == [held.id, lost.id, never_queued.id]
    jobs = world.uow.db.table("jobs")
    assert jobs[exhausted.id].status is JobStatus.FAILED
    assert jobs[exhausted.id].error is not None
    assert jobs[exhausted.id].error.code == "worker_lost"
    for untouched in (lost, never_queued, held, busy, finished):
        assert jobs[untouched.id] == untouched


async def test_a_job_that_moves_meanwhile_is_not_failed(world: World) -> None:
    exhausted = await add(world, JobStatus.PROCESSING, attempts=3, age_s=600)
    use_case = recover(world)
    moved = replace(exhausted, progress=50, updated_at=world.clock.now())
    world.uow.db.table("jobs")[exhausted.id] = moved  # another worker wrote progress just now

    assert await use_case._fail(exhausted) == 0
    assert world.uow.db.table("jobs")[exhausted.id] == moved
