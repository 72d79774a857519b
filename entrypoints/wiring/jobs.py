"""The jobs feature: the queue, the runner, and the job use cases.

The runner maps each job kind to the use case doing it (``handlers``, given by the
composition in entrypoints/container.py); the in-process queue runs jobs through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from application.jobs.cancel_job import CancelJob
from application.jobs.get_job import GetJob
from application.jobs.list_jobs import ListJobs
from application.jobs.recover_stuck_jobs import RecoverStuckJobs
from application.jobs.resume_jobs import ResumeJobs
from application.jobs.runner import JobRetryPolicy, JobRunner
from application.jobs.submit import SubmitJob
from entrypoints.jobs import logged_runs

if TYPE_CHECKING:
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings


def make_inprocess_queue(
    settings: Settings, closer: AsyncCloser, runner: JobRunner, uow_factory: Any
) -> Any:
    from adapters.inprocess import InProcessJobQueue

    queue = InProcessJobQueue(logged_runs(runner, uow_factory), max_jobs=settings.worker_max_jobs)
    closer.register("in-process jobs", lambda: queue.aclose(settings.shutdown_timeout_s))
    return queue


def make_saq_queue(settings: Settings, closer: AsyncCloser) -> Any:
    from adapters.saq import SaqJobQueue

    queue = SaqJobQueue.from_url(
        settings.queue_url or "",
        max_attempts=settings.job_max_attempts,
        retry_delay_s=settings.job_retry_delay_s,
    )
    closer.register("job queue", queue.aclose)
    return queue


class JobsContainer(containers.DeclarativeContainer):
    """Jobs: run, queue, submit, read, cancel, resume and recover them."""

    core = providers.DependenciesContainer()
    handlers = providers.Dependency(instance_of=dict)

    runner = providers.Singleton(
        JobRunner,
        uow_factory=core.uow_factory,
        clock=core.clock,
        handlers=handlers,
        max_attempts=core.settings.provided.job_max_attempts,
        retry=providers.Singleton(
            JobRetryPolicy, base_delay_s=core.settings.provided.job_retry_delay_s
        ),
        outage_tolerance_s=core.settings.provided.job_outage_tolerance_s,
    )
    queue = providers.Selector(
        core.settings.provided.queue_backend,
        inprocess=providers.Singleton(
            make_inprocess_queue, core.settings, core.closer, runner, core.uow_factory
        ),
        saq=providers.Singleton(make_saq_queue, core.settings, core.closer),
    )

    submit = providers.Factory(SubmitJob, uow_factory=core.uow_factory, queue=queue)
    get_job = providers.Factory(GetJob, uow_factory=core.uow_factory)
    list_jobs = providers.Factory(ListJobs, uow_factory=core.uow_factory)
    cancel_job = providers.Factory(
        CancelJob, uow_factory=core.uow_factory, queue=queue, clock=core.clock
    )
    resume_jobs = providers.Factory(ResumeJobs, uow_factory=core.uow_factory, queue=queue)
    recover_stuck_jobs = providers.Factory(
        RecoverStuckJobs,
        uow_factory=core.uow_factory,
        queue=queue,
        clock=core.clock,
        max_attempts=core.settings.provided.job_max_attempts,
    )


__all__ = ["JobsContainer"]
