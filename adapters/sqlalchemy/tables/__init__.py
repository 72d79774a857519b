"""Every feature's tables on one MetaData (what Alembic migrates and compares against)."""

from __future__ import annotations

from adapters.sqlalchemy.tables import accounts, books, community, jobs, uploads
from adapters.sqlalchemy.tables.common import Base

metadata = Base.metadata

__all__ = ["accounts", "books", "community", "jobs", "metadata", "uploads"]
