"""RedisRateLimiter: fixed windows with INCR + EXPIRE, shared by every API process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from domain.errors import InfrastructureUnavailable

if TYPE_CHECKING:
    from redis.asyncio import Redis


class RedisRateLimiter:
    """RateLimiter on Redis: one counter per key and window, expiring with the window."""

    def __init__(self, redis: Redis, prefix: str = "bookbytes:rate:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def hit(self, key: str, *, limit: int, window_s: int) -> int | None:
        name = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_s, nx=True)
                pipe.ttl(name)
                count, _, ttl = await pipe.execute()
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            raise InfrastructureUnavailable(f"Redis is unavailable: {error}") from error
        if int(count) <= limit:
            return None
        return max(1, int(ttl))
