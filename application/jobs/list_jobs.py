"""ListJobs: the caller's jobs, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from application.shared.ports import PageRequest

if TYPE_CHECKING:
    from uuid import UUID

    from application.jobs.ports import JobsUnitOfWorkFactory
    from application.shared.ports import Page
    from domain.job import Job


@dataclass(frozen=True, slots=True)
class ListJobsQuery:
    """Whose jobs, which page."""

    owner_id: UUID
    page: PageRequest = field(default_factory=PageRequest)


class ListJobs:
    """Page through the caller's jobs."""

    def __init__(self, *, uow_factory: JobsUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, query: ListJobsQuery) -> Page[Job]:
        async with self._uow() as uow:
            return await uow.jobs.list_for_owner(query.owner_id, query.page)
