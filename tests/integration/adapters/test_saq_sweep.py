"""The SAQ sweep and a job caught between its dequeue and its worker marking it active.

SAQ moves a dequeued id to the active list, and the worker marks the job record active a
moment later; a sweep in between used to abort and retry the job, which then ran twice.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

import pytest
from saq.job import Status
from saq.utils import now

import adapters.saq.redis_queue as redis_queue
from adapters.saq import SaqJobQueue
from tests.support.redis_db import RUN_ID

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from adapters.saq.redis_queue import BookBytesRedisQueue


@pytest.fixture
async def queue(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SaqJobQueue]:
    monkeypatch.setattr(redis_queue, "DEQUEUE_GRACE_S", 0.5)
    made = SaqJobQueue.from_url(redis_url, name=f"test-{RUN_ID}-sweep-{uuid.uuid4().hex[:6]}")
    yield made
    redis = made.saq_queue.redis
    keys = [k async for k in redis.scan_iter(match=f"saq:*{made.saq_queue.name}*")]
    if keys:
        await redis.delete(*keys)
    await made.aclose()


async def dequeued(queue: SaqJobQueue) -> tuple[BookBytesRedisQueue, str]:
    """Enqueue a job and move its id to the active list, as a worker's dequeue does."""
    job_id = uuid.uuid4()
    await queue.enqueue(job_id)
    saq = queue.saq_queue
    job = await saq.dequeue(timeout=1)
    assert job is not None and job.status == Status.QUEUED  # not yet marked active
    return saq, job.id


async def test_a_job_marked_active_within_the_grace_is_not_swept(queue: SaqJobQueue) -> None:
    saq, job_id = await dequeued(queue)
    sweep = asyncio.create_task(saq.sweep(lock=1))
    await asyncio.sleep(0.1)
    job = await saq._get_job_by_id(job_id)
    assert job is not None
    job.started = now()
    await job.update(status=Status.ACTIVE)  # the worker gets to it, a moment late

    assert await sweep == []
    stored = await saq._get_job_by_id(job_id)
    assert stored is not None and stored.status == Status.ACTIVE
    assert await saq.redis.llen(saq._queued) == 0  # not queued again


async def test_a_job_left_queued_in_the_active_list_is_swept(queue: SaqJobQueue) -> None:
    saq, job_id = await dequeued(queue)  # its worker died between dequeue and start

    swept = await saq.sweep(lock=1)

    assert swept == [job_id]
    assert await saq.redis.llen(saq._active) == 0
    assert await saq.redis.zscore(saq._incomplete, job_id) is not None  # retried later


async def test_a_finished_job_left_in_the_active_list_is_dropped_not_rerun(
    queue: SaqJobQueue,
) -> None:
    saq, job_id = await dequeued(queue)
    job = await saq._get_job_by_id(job_id)
    assert job is not None
    job.status = Status.COMPLETE
    await saq.redis.set(job_id, saq.serialize(job))  # finished, its id left behind

    assert await saq.sweep(lock=1) == [job_id]
    assert await saq.redis.llen(saq._active) == 0
    assert await saq.redis.llen(saq._queued) == 0
    stored = await saq._get_job_by_id(job_id)
    assert stored is not None and stored.status == Status.COMPLETE
