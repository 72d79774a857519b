"""`bookbytes process ISBN --local`: run a book job in this process, without a server.

The job belongs to the local account (the one API-key mode acts as) and is stored in
DATABASE_URL like any other, so a server started later lists it in API-key mode.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import msgspec
from dependency_injector import providers

from adapters.memory.queue import MemoryJobQueue
from application.get_job import GetJobQuery
from application.process_book import ProcessBookCommand
from domain.errors import DomainError
from entrypoints.factories import MAX_JOB_ATTEMPTS
from entrypoints.http.schemas import JobRead
from entrypoints.jobs import run_book_job
from entrypoints.terminal import CommandError, ProgressPrinter, report

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
    container = build_container(settings)
    # This process runs the job itself: the queue only has to accept it.
    container.queue.override(providers.Object(MemoryJobQueue()))
    return asyncio.run(_run(container, args))


async def _run(container: Container, args: argparse.Namespace) -> int:
    try:
        user = await container.api_key_user()()
        options: dict[str, Any] = {"speed": args.speed}
        if args.voice:
            options["voice"] = args.voice
        try:
            submitted = await container.process_book()(
                ProcessBookCommand(user.id, args.isbn, options)
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} ({exc.code})") from exc
        job_id = submitted.job.id
        runner = asyncio.create_task(_attempts(container, job_id))
        query = GetJobQuery(user.id, job_id)
        printer = ProgressPrinter()
        while True:
            finished = runner.done()
            job = msgspec.to_builtins(JobRead.of(await container.get_job()(query)))
            printer.show(job)
            if finished:
                runner.result()  # an error the attempts could not handle surfaces here
                return report(job)
            await asyncio.sleep(args.poll_s)
    finally:
        await container.closer().aclose()


async def _attempts(container: Container, job_id: Any) -> None:
    """Run attempts until the pipeline ends the job (it fails it on the last one)."""
    for attempt in range(1, MAX_JOB_ATTEMPTS + 1):
        try:
            await run_book_job(container, job_id, MAX_JOB_ATTEMPTS)
            return
        except Exception:
            if attempt == MAX_JOB_ATTEMPTS:
                raise
            await asyncio.sleep(2**attempt)
