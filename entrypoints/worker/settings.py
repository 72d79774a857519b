"""SAQ worker settings: ``saq entrypoints.worker.settings.settings`` or ``bookbytes worker``.

``settings`` is a callable (SAQ calls it), so importing this module reads nothing and
connects nowhere. The startup hook builds the container from the settings; the shutdown
hook closes it. Concurrency is WORKER_MAX_JOBS; running jobs get SHUTDOWN_TIMEOUT_S to
finish on SIGTERM before they are re-queued. ``bookbytes worker`` is preferred: its
worker also stops taking jobs at once when told to stop (see adapters.saq.worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from saq import CronJob

from adapters.saq import make_redis_queue, worker_options
from entrypoints.container import build_container
from entrypoints.settings import Settings, SettingsError
from entrypoints.worker.recovery import RECOVERY_CRON
from entrypoints.worker.tasks import process_book, recover_jobs, refresh_community, run_job

if TYPE_CHECKING:
    from entrypoints.container import Container

log = structlog.get_logger(__name__)

RECOVERY_TIMEOUT_S = 300
COMMUNITY_CRON = "*/15 * * * *"  # similarities for personal picks; rating drift repair
COMMUNITY_TIMEOUT_S = 1800


def worker_settings(app: Settings) -> dict[str, Any]:
    """SAQ ``Worker`` keyword arguments for ``app``. Raises SettingsError without QUEUE_URL."""
    if not app.queue_url:
        raise SettingsError("QUEUE_URL", "QUEUE_URL must be set to run a worker (redis://...)")

    async def startup(ctx: dict[str, Any]) -> None:
        container: Container = build_container(app)
        ctx["container"] = container
        log.info("worker started", worker_id=ctx["worker"].id, concurrency=app.worker_max_jobs)

    async def shutdown(ctx: dict[str, Any]) -> None:
        container: Container | None = ctx.pop("container", None)
        if container is not None:
            await container.core.closer().aclose()
        log.info("worker stopped", worker_id=ctx["worker"].id)

    return {
        **worker_options(),
        "queue": make_redis_queue(app.queue_url),
        "functions": [run_job, process_book],
        "cron_jobs": [
            CronJob(recover_jobs, cron=RECOVERY_CRON, timeout=RECOVERY_TIMEOUT_S, retries=1),
            CronJob(refresh_community, cron=COMMUNITY_CRON, timeout=COMMUNITY_TIMEOUT_S),
        ],
        "concurrency": app.worker_max_jobs,
        "startup": startup,
        "shutdown": shutdown,
        "shutdown_grace_period_s": app.shutdown_timeout_s,
    }


def settings() -> dict[str, Any]:
    """SAQ settings from the environment (what ``saq entrypoints.worker.settings.settings``
    loads)."""
    return worker_settings(Settings.from_env())


__all__ = ["settings", "worker_settings"]
