"""Timeouts and retries for calls to the outside world.

Only transient failures (``TransientUpstreamError``: timeouts, 429, 5xx) are retried,
with exponential backoff and full jitter, honouring a server's Retry-After.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from domain.errors import TransientUpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

T = TypeVar("T")


class RetryAfter(TransientUpstreamError):
    """A transient failure whose server said how long to wait (HTTP 429/503 Retry-After)."""

    def __init__(self, message: str, *, retry_after_s: float | None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: ``retries`` after the first call, each call bounded by ``timeout_s``."""

    retries: int = 3
    timeout_s: float = 30.0
    base_delay_s: float = 0.5
    max_delay_s: float = 10.0

    def delay(self, retry: int, retry_after_s: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0-based)."""
        if retry_after_s is not None:
            return min(max(retry_after_s, 0.0), self.max_delay_s)
        ceiling = min(self.max_delay_s, self.base_delay_s * 2**retry)
        return random.uniform(0, ceiling)


async def call_with_retries(
    policy: RetryPolicy,
    call: Callable[[], Awaitable[T]],
    *,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Await ``call()`` under the policy's timeout, retrying transient failures.

    Raises:
        TransientUpstreamError: still failing after the last retry (or timed out).
        Any other exception from ``call`` at once.
    """
    retry = 0
    while True:
        try:
            async with asyncio.timeout(policy.timeout_s):
                return await call()
        except TimeoutError as exc:
            error: TransientUpstreamError = TransientUpstreamError(
                f"{what} timed out after {policy.timeout_s:g} s"
            )
            error.__cause__ = exc
        except TransientUpstreamError as exc:
            error = exc
        if retry >= policy.retries:
            raise error
        wait = policy.delay(retry, getattr(error, "retry_after_s", None))
        retry += 1
        await sleep(wait)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (dates are ignored)."""
    if not value:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        return None
