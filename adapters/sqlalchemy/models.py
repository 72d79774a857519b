"""Table mappings: books, book_isbns, chapters, jobs, users, refresh_tokens.

The names used in ``Mapped[...]`` annotations are imported at runtime on purpose:
SQLAlchemy resolves them when the classes are built, even with postponed annotations.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.isbn import IsbnType
from domain.job import ACTIVE_STATUSES, JobKind, JobStatus

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTIVE_JOB_INDEX = "uq_jobs_active_owner_isbn"
WORK_INDEX = "uq_books_work_key_language"
_ACTIVE = ", ".join(f"'{s.value}'" for s in sorted(ACTIVE_STATUSES))
_ACTIVE_WHERE = sa.text(f"status IN ({_ACTIVE})")
_HAS_WORK = sa.text("work_key IS NOT NULL")


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive, as UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must carry a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def _enum(enum_class: type[Any], name: str) -> sa.Enum:
    """A VARCHAR + CHECK enum storing member values (portable, easy to extend)."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


def _now() -> sa.DefaultClause:
    return sa.DefaultClause(sa.func.now())


class Base(DeclarativeBase):
    """Declarative base whose MetaData names every constraint and index."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class BookRow(Base):
    """A work in one language (see domain.book.Book)."""

    __tablename__ = "books"
    __table_args__ = (
        sa.Index(
            WORK_INDEX,
            "work_key",
            "language",
            unique=True,
            postgresql_where=_HAS_WORK,
            sqlite_where=_HAS_WORK,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(500), index=True)
    author: Mapped[str] = mapped_column(sa.String(500), index=True)
    language: Mapped[str] = mapped_column(sa.String(16), index=True)
    work_key: Mapped[str | None] = mapped_column(sa.String(100))
    edition: Mapped[str | None] = mapped_column(sa.String(255))
    publisher: Mapped[str | None] = mapped_column(sa.String(255))
    pages: Mapped[int | None] = mapped_column(sa.Integer)
    publish_date: Mapped[date | None] = mapped_column(sa.Date)
    cover_url: Mapped[str | None] = mapped_column(sa.String(2048))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BookIsbnRow(Base):
    """One known ISBN (10 or 13 form) pointing at a book."""

    __tablename__ = "book_isbns"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    isbn: Mapped[str] = mapped_column(sa.String(13), unique=True, index=True)
    isbn_type: Mapped[IsbnType] = mapped_column(_enum(IsbnType, "isbn_type"))
    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=_now(), onupdate=sa.func.now()
    )


class ChapterRow(Base):
    """A chapter; unique by (book_id, chapter_number)."""

    __tablename__ = "chapters"
    __table_args__ = (sa.UniqueConstraint("book_id", "chapter_number"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    book_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("books.id", ondelete="CASCADE"))
    chapter_number: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(500))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    word_count: Mapped[int] = mapped_column(sa.Integer)
    audio_file_path: Mapped[str | None] = mapped_column(sa.String(1024))
    audio_url: Mapped[str | None] = mapped_column(sa.String(2048))
    duration_s: Mapped[float | None] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UserRow(Base):
    """An account."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(sa.Boolean)
    scopes: Mapped[list[str]] = mapped_column(_json())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=_now(), onupdate=sa.func.now()
    )


class JobRow(Base):
    """A background job; at most one active job per (owner, ISBN)."""

    __tablename__ = "jobs"
    __table_args__ = (
        sa.Index(
            ACTIVE_JOB_INDEX,
            "owner_id",
            "isbn",
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
    kind: Mapped[JobKind] = mapped_column(_enum(JobKind, "job_kind"))
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus, "job_status"))
    isbn: Mapped[str] = mapped_column(sa.String(13))
    progress: Mapped[int] = mapped_column(sa.Integer)
    current_step: Mapped[str] = mapped_column(sa.String(255))
    book_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("books.id", ondelete="SET NULL"), index=True
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(_json())
    error_code: Mapped[str | None] = mapped_column(sa.String(64))
    error_message: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(sa.Integer)
    options: Mapped[dict[str, Any]] = mapped_column(_json())
    request_id: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class RefreshTokenRow(Base):
    """An issued refresh token, stored as a hash; rotations share a family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (sa.Index("ix_refresh_tokens_family_id", "family_id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    token_hash: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


metadata = Base.metadata
books = cast("sa.Table", BookRow.__table__)
book_isbns = cast("sa.Table", BookIsbnRow.__table__)
chapters = cast("sa.Table", ChapterRow.__table__)
users = cast("sa.Table", UserRow.__table__)
jobs = cast("sa.Table", JobRow.__table__)
refresh_tokens = cast("sa.Table", RefreshTokenRow.__table__)
