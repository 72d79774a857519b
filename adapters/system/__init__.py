"""The real clock and id generator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

__all__ = ["SystemClock", "Uuid4Generator"]


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class Uuid4Generator:
    """Random UUIDs."""

    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()
