"""Argon2PasswordHasher: argon2id via argon2-cffi, off the event loop, a few at a time.

Each hash takes ~64 MiB and tens of milliseconds of CPU. Run all at once, a storm of logins
makes every one of them slow and starves the rest of the API; bounded to about one per
core, logins queue fairly (first come, first served) and everything else stays fast.
"""

from __future__ import annotations

import asyncio
import os

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    """PasswordHasher using argon2id with argon2-cffi's recommended parameters."""

    def __init__(
        self,
        *,
        time_cost: int = 3,
        memory_cost: int = 65536,
        parallelism: int = 4,
        concurrency: int | None = None,
    ) -> None:
        self._argon2 = _Argon2(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )
        self._concurrency = concurrency or os.cpu_count() or 1
        self._gate: asyncio.Semaphore | None = None

    @property
    def _slots(self) -> asyncio.Semaphore:
        if self._gate is None:
            self._gate = asyncio.Semaphore(self._concurrency)
        return self._gate

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        def check() -> bool:
            try:
                return self._argon2.verify(password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

        async with self._slots:
            return await asyncio.to_thread(check)
