"""Redis adapters: the shared rate limiter."""

from adapters.redis.rate_limit import RedisRateLimiter

__all__ = ["RedisRateLimiter"]
