"""/api/v1/jobs: the caller's jobs."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from application.jobs.cancel_job import CancelJob, CancelJobCommand
from application.jobs.get_job import GetJob, GetJobQuery
from application.jobs.list_jobs import ListJobs, ListJobsQuery
from application.shared.ports import PageRequest
from domain.user import User
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.jobs.schemas import JobRead
from entrypoints.http.openapi import AUTHENTICATED, errors
from entrypoints.http.params import Limit, Offset
from entrypoints.http.schemas import Page


class JobsController(Controller):
    """Follow and cancel your jobs. Another user's job answers 404."""

    path = "/api/v1/jobs"
    tags = ["jobs"]
    dependencies = AUTH
    guards = AUTH_GUARDS
    security = AUTHENTICATED

    @get(
        "/",
        operation_id="listJobs",
        dependencies={"list_jobs": use_case("jobs.list_jobs")},
        responses=errors(401, 503),
    )
    async def list_jobs(
        self,
        user: NamedDependency[User],
        list_jobs: NamedDependency[ListJobs],
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> Page[JobRead]:
        """Your jobs, newest first."""
        page = await list_jobs(ListJobsQuery(user.id, PageRequest(limit, offset)))
        return Page.of(page, JobRead.of)

    @get(
        "/{job_id:uuid}",
        operation_id="getJob",
        dependencies={"get_job": use_case("jobs.get_job")},
        responses=errors(401, 404, 503, codes={404: ("job_not_found",)}),
    )
    async def get_job(
        self, user: NamedDependency[User], get_job: NamedDependency[GetJob], job_id: FromPath[UUID]
    ) -> JobRead:
        """One job: status, progress, current step, result or error."""
        return JobRead.of(await get_job(GetJobQuery(user.id, job_id)))

    @post(
        "/{job_id:uuid}/cancel",
        operation_id="cancelJob",
        status_code=200,
        dependencies={"cancel_job": use_case("jobs.cancel_job")},
        responses=errors(
            401, 404, 409, 503, codes={404: ("job_not_found",), 409: ("invalid_job_transition",)}
        ),
    )
    async def cancel_job(
        self,
        user: NamedDependency[User],
        cancel_job: NamedDependency[CancelJob],
        job_id: FromPath[UUID],
    ) -> JobRead:
        """Cancel a pending or processing job; chapters already finished are kept.
        A finished job answers 409."""
        return JobRead.of(await cancel_job(CancelJobCommand(user.id, job_id)))
