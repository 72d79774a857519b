"""A fixed-window RateLimiter in a dict (one process; Redis shares it between processes)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from application.shared.ports import Clock


class MemoryRateLimiter:
    """Counts hits per key per window of ``window_s`` seconds."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, *, limit: int, window_s: int) -> int | None:
        now = self._clock.now().timestamp()
        started, count = self._windows.get(key, (now, 0))
        if now - started >= window_s:
            started, count = now, 0
        count += 1
        self._windows[key] = (started, count)
        if len(self._windows) > 10_000:
            self._forget_old(now, window_s)
        if count <= limit:
            return None
        return max(1, math.ceil(started + window_s - now))

    def _forget_old(self, now: float, window_s: int) -> None:
        self._windows = {k: v for k, v in self._windows.items() if now - v[0] < window_s}
