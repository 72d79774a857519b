"""The embedded mode's stand-in for the workers' community cron: recompute similarities
and rating aggregates every ``interval_s`` seconds inside the API process."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from entrypoints.container import Container

log = structlog.get_logger(__name__)
INTERVAL_S = 900.0


async def refresh_forever(container: Container, interval_s: float = INTERVAL_S) -> None:
    """Run ComputeSimilarities every ``interval_s`` (first after one interval); errors are
    logged, never raised."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            books = await container.community.compute_similarities()()
            log.info("community refreshed", books_with_neighbours=books)
        except Exception:
            log.exception("community refresh failed")


def start(container: Container, interval_s: float = INTERVAL_S) -> asyncio.Task[None]:
    """Start the loop; register its cancellation with the container's closer."""
    task = asyncio.create_task(refresh_forever(container, interval_s), name="community-refresh")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    container.core.closer().register("community refresh", stop)
    return task
