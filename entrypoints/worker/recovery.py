"""Recovery of jobs nothing will run any more, and of orphaned temporary files.

Run by the workers as a SAQ cron job (one run a minute across all workers). A job row
is *stuck* when it is active (pending, or processing) but has not changed for
STALE_AFTER and SAQ holds nothing that will run it: no queued, scheduled or running SAQ
job under its id (the SAQ job failed or was aborted after its retries, expired, or Redis
lost it). A row whose SAQ job is still running is left alone even if quiet: if its
worker died, SAQ's own sweep notices the missing heartbeat and re-queues it.

A stuck job is queued again (the pipeline skips chapters already done) while it has
attempts left; a processing job that used them all is failed with ``worker_lost``,
never left processing.

Temporary files: the local storage writes ``.<name>.<random>.tmp`` next to the target
and renames it; a process killed between the two leaves the temp file, removed here once
older than an hour. S3 needs nothing: each object is one atomic PUT, nothing partial stays.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import structlog

from adapters.saq import QueueState
from domain.job import JobError, JobStatus
from entrypoints.container import MAX_JOB_ATTEMPTS

if TYPE_CHECKING:
    from pathlib import Path

    from domain.job import Job
    from entrypoints.container import Container

log = structlog.get_logger(__name__)

STALE_AFTER = timedelta(minutes=2)
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


async def recover(container: Container, stale_after: timedelta = STALE_AFTER) -> RecoveryReport:
    """Re-queue or fail stuck jobs, then remove orphaned temp files."""
    requeued, failed = await _recover_jobs(container, stale_after)
    settings = container.settings()
    removed = 0
    if settings.storage_backend == "local":
        removed = await asyncio.to_thread(
            remove_orphan_temp_files, settings.storage_local_path, TEMP_FILE_MAX_AGE_S
        )
    report = RecoveryReport(requeued, failed, removed)
    if requeued or failed or removed:
        log.info("recovery run", **report.as_dict())
    return report


async def _recover_jobs(container: Container, stale_after: timedelta) -> tuple[int, int]:
    uow_factory, queue, clock = container.uow_factory(), container.queue(), container.clock()
    cutoff = clock.now() - stale_after
    async with uow_factory() as uow:
        stuck = list(await uow.jobs.list_stuck(cutoff))
        stuck += [
            job
            for job in await uow.jobs.list_active()
            if job.status is JobStatus.PENDING and job.updated_at < cutoff
        ]
    requeued = failed = 0
    for job in stuck:
        if await queue.state(job.id) is not QueueState.GONE:
            continue  # SAQ will run it, or its sweep will re-queue it
        if job.status is JobStatus.PROCESSING and job.attempts >= MAX_JOB_ATTEMPTS:
            failed += await _fail(container, job)
        else:
            await queue.enqueue(job.id)
            requeued += 1
            log.warning("re-queued a stuck job", job_id=str(job.id), attempts=job.attempts)
    return requeued, failed


async def _fail(container: Container, seen: Job) -> int:
    """Fail the job unless it changed since it was seen stuck; 1 if failed."""
    clock = container.clock()
    async with container.uow_factory()() as uow:
        job = await uow.jobs.get(seen.id)
        if job is None or job.updated_at != seen.updated_at or not job.is_active:
            return 0
        error = JobError(
            "worker_lost",
            f"the job was interrupted {job.attempts} times (worker lost or timed out)",
        )
        await uow.jobs.save(job.fail(error, clock.now()))
        await uow.commit()
    log.warning("failed a stuck job", job_id=str(seen.id), attempts=seen.attempts)
    return 1


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
