"""Recovery of jobs nothing will run any more, and of orphaned temporary files.

Run by the workers as a SAQ cron job (one run a minute across all workers). The job part
is the RecoverStuckJobs use case (application/jobs/recover_stuck_jobs.py): an active row quiet
for two minutes that SAQ no longer holds (its SAQ job failed or was aborted after its
retries, expired, or Redis lost it) is queued again, or failed with ``worker_lost`` once
its attempts are used up. A row whose SAQ job still runs is left to SAQ's own sweep.

Temporary files: the local storage writes ``.<name>.<random>.tmp`` next to the target
and renames it; a process killed between the two leaves the temp file, removed here once
older than an hour. S3 needs nothing: each object is one atomic PUT, nothing partial stays.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from pathlib import Path

    from entrypoints.container import Container

log = structlog.get_logger(__name__)

TEMP_FILE_MAX_AGE_S = 3600.0
RECOVERY_CRON = "* * * * *"


@dataclass(frozen=True, slots=True)
class RecoveryReport:
    """What one recovery run did."""

    requeued: int = 0
    failed: int = 0
    temp_files_removed: int = 0

    def as_dict(self) -> dict[str, int]:
        """The report as a JSON-friendly dict (the SAQ job's result)."""
        return asdict(self)


async def recover(container: Container) -> RecoveryReport:
    """Re-queue or fail stuck jobs (RecoverStuckJobs), then remove orphaned temp files."""
    jobs = await container.jobs.recover_stuck_jobs()()
    settings = container.settings()
    removed = 0
    if settings.storage_backend == "local":
        removed = await asyncio.to_thread(
            remove_orphan_temp_files, settings.storage_local_path, TEMP_FILE_MAX_AGE_S
        )
    report = RecoveryReport(jobs.requeued, jobs.failed, removed)
    if jobs.requeued or jobs.failed or removed:
        log.warning("recovery run", **report.as_dict())
    return report


def remove_orphan_temp_files(root: Path, max_age_s: float) -> int:
    """Delete local-storage temp files (``.*.tmp``) under ``root`` older than ``max_age_s``."""
    if not root.is_dir():
        return 0
    cutoff = time.time() - max_age_s
    removed = 0
    for path in root.rglob(".*.tmp"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # renamed or removed meanwhile
    return removed


__all__ = ["RECOVERY_CRON", "RecoveryReport", "recover", "remove_orphan_temp_files"]
