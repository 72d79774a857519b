"""Pytest fixtures of the test support package (import them from a conftest)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from tests.support.fake_http import FakeHttpServer

if TYPE_CHECKING:
    from collections.abc import Iterator


class RecordingSleep:
    """A stand-in for ``asyncio.sleep`` that records the waits and does not wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def fake_http() -> Iterator[FakeHttpServer]:
    """A started local fake HTTP server, closed after the test."""
    with FakeHttpServer() as server:
        yield server


@pytest.fixture
def recorded_sleep() -> RecordingSleep:
    """Pass as an adapter's ``sleep=`` to assert on backoff waits without waiting."""
    return RecordingSleep()
