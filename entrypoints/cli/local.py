"""`bookbytes process ISBN --local`: run a book job in this process, without a server.

The job goes through the same path as on a server in the embedded mode: ProcessBook
submits it to the in-process queue, whose job runner runs it (with the same attempt
budget, JOB_MAX_ATTEMPTS, and retry delays). The job belongs to the local account (the one
API-key mode acts as) and is stored in DATABASE_URL like any other, so a server started
later lists it in API-key mode.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from typing import TYPE_CHECKING

from application.books.process_book import ProcessBookCommand
from application.jobs.get_job import GetJobQuery
from domain.errors import DomainError
from entrypoints.cli.output import (
    FINISHED,
    INTERRUPTED,
    CommandError,
    ProgressPrinter,
    job_view,
    report,
)

if TYPE_CHECKING:
    import argparse

    from entrypoints.container import Container
    from entrypoints.settings import Settings


def process_locally(args: argparse.Namespace, settings: Settings) -> int:
    """Submit and run the job here, drawing its progress; the exit code says how it ended."""
    from adapters.sqlalchemy.migrate import upgrade
    from entrypoints.container import build_container
    from entrypoints.log_config import configure_logging

    # The progress bar is the output; logs only say what goes wrong (unless asked for more).
    configure_logging("warning" if settings.log_level == "info" else settings.log_level, "console")
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    # This process runs the job itself: the in-process queue, whatever QUEUE_URL says.
    container = build_container(dataclasses.replace(settings, queue_url=None))
    try:
        return asyncio.run(_run(container, args))
    except KeyboardInterrupt:
        print(
            "\nbookbytes: interrupted; the job stopped with this process. `bookbytes serve` "
            "on the same DATABASE_URL resumes it, or run this command again",
            file=sys.stderr,
        )
        return INTERRUPTED


async def _run(container: Container, args: argparse.Namespace) -> int:
    try:
        user = await container.accounts.api_key_user()()
        try:
            submitted = await container.books.process_book()(
                ProcessBookCommand(
                    user.id, args.isbn, provider=args.provider, voice=args.voice, speed=args.speed
                )
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        query = GetJobQuery(user.id, submitted.job.id)
        printer = ProgressPrinter()
        while True:
            job = job_view(await container.jobs.get_job()(query))
            printer.show(job)
            if job["status"] in FINISHED:
                return report(job)
            await asyncio.sleep(args.poll_s)
    finally:
        await container.core.closer().aclose()


__all__ = ["process_locally"]
