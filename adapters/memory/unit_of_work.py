"""The memory unit of work: one transaction over every feature's memory repositories.

A feature adds its repositories by adding its ``...Repositories`` mixin to the bases below;
the application sees only the feature's own unit-of-work protocol.
"""

from __future__ import annotations

from adapters.memory.accounts import AccountsRepositories
from adapters.memory.books import BooksRepositories
from adapters.memory.community import CommunityRepositories
from adapters.memory.database import MemoryDatabase, MemorySession
from adapters.memory.jobs import JobsRepositories
from adapters.memory.uploads import UploadsRepositories


class MemoryUnitOfWork(
    MemorySession,
    BooksRepositories,
    JobsRepositories,
    AccountsRepositories,
    CommunityRepositories,
    UploadsRepositories,
):
    """A unit of work over one MemoryDatabase; commit applies the staged writes."""


class MemoryUnitOfWorkFactory:
    """Unit-of-work factory over one shared MemoryDatabase."""

    def __init__(self, db: MemoryDatabase | None = None) -> None:
        self.db = db or MemoryDatabase()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)


__all__ = ["MemoryDatabase", "MemoryUnitOfWork", "MemoryUnitOfWorkFactory"]
