"""The jobs table: at most one active job per (owner, source, recipe).

The names used in ``Mapped[...]`` annotations are imported at runtime on purpose:
SQLAlchemy resolves them when the classes are built, even with postponed annotations.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from adapters.sqlalchemy.tables.common import Base, UtcDateTime, enum_type, json_type
from domain.job import ACTIVE_STATUSES, JobKind, JobStatus, SourceKind

ACTIVE_JOB_INDEX = "uq_jobs_active_owner_source_recipe"
_ACTIVE = ", ".join(f"'{s.value}'" for s in sorted(ACTIVE_STATUSES))
_ACTIVE_WHERE = sa.text(f"status IN ({_ACTIVE})")


class JobRow(Base):
    """A background job: its source, its recipe, and where it is in its life."""

    __tablename__ = "jobs"
    __table_args__ = (
        sa.Index(
            ACTIVE_JOB_INDEX,
            "owner_id",
            "source_kind",
            "source_ref",
            "recipe_key",
            unique=True,
            postgresql_where=_ACTIVE_WHERE,
            sqlite_where=_ACTIVE_WHERE,
        ),
        sa.Index("ix_jobs_owner_id_created_at", "owner_id", "created_at"),
        sa.Index("ix_jobs_status_updated_at", "status", "updated_at"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[JobKind] = mapped_column(enum_type(JobKind, "job_kind"))
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, "job_status"))
    source_kind: Mapped[SourceKind] = mapped_column(enum_type(SourceKind, "source_kind"))
    source_ref: Mapped[str] = mapped_column(sa.String(64))
    mode: Mapped[str] = mapped_column(sa.String(32))
    provider: Mapped[str] = mapped_column(sa.String(32))
    voice: Mapped[str] = mapped_column(sa.String(64))
    speed: Mapped[float] = mapped_column(sa.Float)
    recipe_key: Mapped[str] = mapped_column(sa.String(160))
    progress: Mapped[int] = mapped_column(sa.Integer)
    current_step: Mapped[str] = mapped_column(sa.String(255))
    book_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("books.id", ondelete="SET NULL"), index=True
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    error_code: Mapped[str | None] = mapped_column(sa.String(64))
    error_message: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(sa.Integer)
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


jobs = cast("sa.Table", JobRow.__table__)
