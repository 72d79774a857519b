"""Initial schema: books, book_isbns, chapters, users, jobs.

Revision ID: 0001
Revises:
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ACTIVE_JOB = sa.text("status IN ('pending', 'processing')")
HAS_WORK = sa.text("work_key IS NOT NULL")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade() -> None:
    op.create_table(
        "books",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("author", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("work_key", sa.String(length=100), nullable=True),
        sa.Column("edition", sa.String(length=255), nullable=True),
        sa.Column("publisher", sa.String(length=255), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("cover_url", sa.String(length=2048), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_books")),
    )
    op.create_index(op.f("ix_books_title"), "books", ["title"])
    op.create_index(op.f("ix_books_author"), "books", ["author"])
    op.create_index(op.f("ix_books_language"), "books", ["language"])
    op.create_index(
        "uq_books_work_key_language",
        "books",
        ["work_key", "language"],
        unique=True,
        postgresql_where=HAS_WORK,
        sqlite_where=HAS_WORK,
    )

    op.create_table(
        "book_isbns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("isbn", sa.String(length=13), nullable=False),
        sa.Column("isbn_type", _enum("isbn_type", "isbn10", "isbn13"), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_isbns_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_isbns")),
    )
    op.create_index(op.f("ix_book_isbns_isbn"), "book_isbns", ["isbn"], unique=True)
    op.create_index(op.f("ix_book_isbns_book_id"), "book_isbns", ["book_id"])

    op.create_table(
        "chapters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("chapter_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("audio_file_path", sa.String(length=1024), nullable=True),
        sa.Column("audio_url", sa.String(length=2048), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_chapters_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chapters")),
        sa.UniqueConstraint(
            "book_id", "chapter_number", name=op.f("uq_chapters_book_id_chapter_number")
        ),
    )

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("scopes", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )

    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", _enum("job_kind", "process_book"), nullable=False),
        sa.Column(
            "status",
            _enum("job_status", "pending", "processing", "completed", "failed", "cancelled"),
            nullable=False,
        ),
        sa.Column("isbn", sa.String(length=13), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("current_step", sa.String(length=255), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=True),
        sa.Column("result", JSON, nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_jobs_progress_range")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_jobs_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_jobs_book_id_books"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_owner_id_created_at"), "jobs", ["owner_id", "created_at"])
    op.create_index(op.f("ix_jobs_status_updated_at"), "jobs", ["status", "updated_at"])
    op.create_index(op.f("ix_jobs_book_id"), "jobs", ["book_id"])
    op.create_index(
        "uq_jobs_active_owner_isbn",
        "jobs",
        ["owner_id", "isbn"],
        unique=True,
        postgresql_where=ACTIVE_JOB,
        sqlite_where=ACTIVE_JOB,
    )


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it.
    op.drop_table("jobs")
    op.drop_table("users")
    op.drop_table("chapters")
    op.drop_table("book_isbns")
    op.drop_table("books")
