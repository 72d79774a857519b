"""A clock tests can move, and sequential ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID


class ManualClock:
    """A Clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.current += timedelta(seconds=seconds)


class SequentialIdGenerator:
    """An IdGenerator giving UUIDs 00000000-…-000000000001, …-0002, … in order."""

    def __init__(self) -> None:
        self.counter = 0

    def new_id(self) -> UUID:
        self.counter += 1
        return UUID(int=self.counter)
