"""The job state machine and progress rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidJobTransition
from domain.job import ALLOWED_TRANSITIONS, Job, JobError, JobStatus
from tests.support.jobs import make_job

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def new_job() -> Job:
    return make_job(at=NOW)


def move(job: Job, to: JobStatus) -> Job:
    if to is JobStatus.PROCESSING:
        return job.begin_attempt(NOW)
    if to is JobStatus.COMPLETED:
        return job.complete({"chapters": 1}, NOW)
    if to is JobStatus.FAILED:
        return job.fail(JobError("boom", "it broke"), NOW)
    if to is JobStatus.CANCELLED:
        return job.cancel(NOW)
    raise AssertionError(to)


# No operation leads back to pending, so the targets are the other four statuses.
@given(st.lists(st.sampled_from([s for s in JobStatus if s is not JobStatus.PENDING]), max_size=6))
def test_only_allowed_transitions_ever_happen(path: list[JobStatus]) -> None:
    job = new_job()
    for target in path:
        before = job.status
        allowed = target in ALLOWED_TRANSITIONS[before] or (
            before is JobStatus.PROCESSING and target is JobStatus.PROCESSING
        )
        if allowed:
            job = move(job, target)
            assert job.status is target
        else:
            with pytest.raises(InvalidJobTransition):
                move(job, target)
            assert job.status is before


def test_the_documented_transitions() -> None:
    assert ALLOWED_TRANSITIONS[JobStatus.PENDING] == {JobStatus.PROCESSING, JobStatus.CANCELLED}
    assert ALLOWED_TRANSITIONS[JobStatus.PROCESSING] == {
        JobStatus.COMPLETED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
    }
    for final in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED):
        assert not ALLOWED_TRANSITIONS[final]


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=20))
def test_progress_never_goes_backwards_within_an_attempt(steps: list[int]) -> None:
    job = new_job().begin_attempt(NOW)
    for value in steps:
        if value >= job.progress:
            job = job.advance(value, "step", NOW)
            assert job.progress == value
        else:
            with pytest.raises(InvalidJobTransition):
                job.advance(value, "step", NOW)


def test_a_new_attempt_counts_and_restarts_progress() -> None:
    job = new_job().begin_attempt(NOW).advance(60, "chapters", NOW)
    again = job.begin_attempt(NOW)
    assert again.status is JobStatus.PROCESSING
    assert again.attempts == 2
    assert again.progress == 0


def test_progress_out_of_range_is_refused() -> None:
    job = new_job().begin_attempt(NOW)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        job.advance(101, "x", NOW)


def test_completion_sets_full_progress_and_result() -> None:
    job = new_job().begin_attempt(NOW).complete({"chapters": 3}, NOW)
    assert job.progress == 100
    assert job.result == {"chapters": 3}
    assert job.finished_at == NOW
    assert not job.is_active
