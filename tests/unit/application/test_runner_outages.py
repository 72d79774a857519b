"""The job runner and outages of our own infrastructure: no attempt is spent on them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from application.books.process_book import ProcessBookCommand
from application.jobs.runner import JobAttempt, JobRunner, RetryJob
from domain.errors import InfrastructureUnavailable
from domain.job import JobStatus
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=7)


class FlakyHandler:
    """Raises InfrastructureUnavailable ``outages`` times, then finishes."""

    def __init__(self, outages: int) -> None:
        self.outages = outages
        self.calls = 0

    async def __call__(self, attempt: JobAttempt) -> dict[str, Any]:
        self.calls += 1
        await attempt.progress(10 * self.calls, f"call {self.calls}")
        if self.calls <= self.outages:
            raise InfrastructureUnavailable("the database is unavailable")
        return {"calls": self.calls}


def runner(world: World, handler: FlakyHandler, tolerance_s: float) -> JobRunner:
    return JobRunner(
        uow_factory=world.uow,
        clock=world.clock,
        handlers={"process_book": handler},
        max_attempts=2,
        outage_tolerance_s=tolerance_s,
    )


async def submitted(world: World) -> uuid.UUID:
    return (await world.process_book()(ProcessBookCommand(OWNER, "9780306406157"))).job.id


async def test_a_short_outage_is_waited_out_within_the_same_attempt(world: World) -> None:
    job_id = await submitted(world)
    handler = FlakyHandler(outages=2)
    job = await runner(world, handler, tolerance_s=30).run(job_id)
    assert job is not None
    assert (job.status, job.attempts, job.result) == (JobStatus.COMPLETED, 1, {"calls": 3})


async def test_an_outage_longer_than_the_tolerance_asks_for_a_retry(world: World) -> None:
    job_id = await submitted(world)
    with pytest.raises(RetryJob) as retry:
        await runner(world, FlakyHandler(outages=100), tolerance_s=0.1).run(job_id)
    assert isinstance(retry.value.__cause__, InfrastructureUnavailable)
    assert world.table("jobs")[job_id].status is JobStatus.PROCESSING


async def test_an_outage_before_the_attempt_begins_spends_no_attempt(world: World) -> None:
    job_id = await submitted(world)

    class DownFactory:
        def __call__(self) -> Any:
            raise InfrastructureUnavailable("the database is unavailable")

    down = JobRunner(
        uow_factory=DownFactory(),  # type: ignore[arg-type]
        clock=world.clock,
        handlers={"process_book": FlakyHandler(0)},
    )
    with pytest.raises(RetryJob) as retry:
        await down.run(job_id)
    assert retry.value.attempts == 0
    assert world.table("jobs")[job_id].attempts == 0
