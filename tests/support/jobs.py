"""Building Job rows for tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from domain.job import Job, JobSource
from domain.recipe import Mode, Recipe
from domain.speech import SpeechOptions

ISBN = "9780306406157"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def recipe(voice: str = "default", provider: str = "memory", speed: float = 1.0) -> Recipe:
    """A summary recipe with these speech options."""
    return Recipe(Mode.SUMMARY, SpeechOptions(provider, voice, speed))


def make_job(
    owner_id: uuid.UUID | None = None,
    isbn: str = ISBN,
    at: datetime = T0,
    *,
    voice: str = "default",
    **fields: Any,
) -> Job:
    """A pending ISBN job (``fields`` override any other attribute)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "owner_id": owner_id or uuid.uuid4(),
        "source": JobSource.isbn(isbn),
        "recipe": recipe(voice),
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return Job(**values)
