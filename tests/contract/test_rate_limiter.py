"""RateLimiter contract: the in-memory and the Redis limiter count the same way."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from adapters.memory.clock import ManualClock
from adapters.memory.rate_limit import MemoryRateLimiter
from adapters.redis import RedisRateLimiter
from tests.support.redis_db import KEY_PREFIX

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from application.accounts.ports import RateLimiter


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter(ManualClock())
        return
    from redis.asyncio import Redis

    client = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"{KEY_PREFIX}rate:{uuid.uuid4().hex[:8]}:"
    try:
        yield RedisRateLimiter(client, prefix=prefix)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_hits_within_the_limit_pass_then_the_next_is_refused(limiter: RateLimiter) -> None:
    for _ in range(3):
        assert await limiter.hit("login:1.2.3.4", limit=3, window_s=60) is None
    retry_after = await limiter.hit("login:1.2.3.4", limit=3, window_s=60)
    assert retry_after is not None
    assert 1 <= retry_after <= 60


async def test_keys_are_counted_separately(limiter: RateLimiter) -> None:
    assert await limiter.hit("a", limit=1, window_s=60) is None
    assert await limiter.hit("b", limit=1, window_s=60) is None
    assert await limiter.hit("a", limit=1, window_s=60) is not None


async def test_the_window_resets() -> None:
    clock = ManualClock()
    limiter = MemoryRateLimiter(clock)
    assert await limiter.hit("k", limit=1, window_s=10) is None
    assert await limiter.hit("k", limit=1, window_s=10) == 10
    clock.advance(4)
    assert await limiter.hit("k", limit=1, window_s=10) == 6
    clock.advance(6)
    assert await limiter.hit("k", limit=1, window_s=10) is None
