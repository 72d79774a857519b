"""The worker process: SAQ settings, task functions, recovery, and ``run_worker``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entrypoints.settings import Settings


def run_worker(settings: Settings) -> int:
    """Run a SAQ worker for ``settings`` until SIGTERM/SIGINT; returns an exit status."""
    from adapters.saq import DrainingWorker
    from entrypoints.worker.settings import worker_settings

    worker = DrainingWorker(**worker_settings(settings))

    async def main() -> None:
        await worker.queue.connect()
        try:
            await worker.start()
        finally:
            await worker.queue.disconnect()

    asyncio.run(main())
    return 0


__all__ = ["run_worker"]
