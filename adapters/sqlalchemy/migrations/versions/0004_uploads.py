"""Books from files: uploads, the text of their chapters, and books owned by a user.

- ``uploads``: a stored book file and what was detected in it (format, title, author,
  language, chapter list, cover), owned by a user; ``book_id`` is the book made from it.
- ``upload_chapters``: the title and text of each detected chapter.
- ``books.owner_id``: set for a book made from an upload (only its owner sees it);
  NULL for the shared catalogue of books found by ISBN.
- ``jobs.kind`` may be ``process_upload``.

Downgrade drops the upload tables, the books made from uploads (the old schema has no
way to keep them private) and the upload jobs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


JOB_KIND = "ck_jobs_job_kind"


def _job_kinds(*kinds: str) -> None:
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint(op.f(JOB_KIND), type_="check")
        batch.create_check_constraint(op.f(JOB_KIND), sa.text(f"kind IN ({allowed})"))


def upgrade() -> None:
    _job_kinds("process_book", "process_upload")
    with op.batch_alter_table("books") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_books_owner_id"), ["owner_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_books_owner_id_users"), "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column(
            "format",
            sa.Enum("epub", "pdf", "txt", name="book_format", native_enum=False,
                    create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("file_key", sa.String(length=1024), nullable=False),
        sa.Column("cover_key", sa.String(length=1024), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("author", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("chapters", JSON, nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_uploads_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_uploads_book_id_books"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
    )
    op.create_index(op.f("ix_uploads_owner_id"), "uploads", ["owner_id"], unique=False)
    op.create_index(op.f("ix_uploads_book_id"), "uploads", ["book_id"], unique=False)
    op.create_table(
        "upload_chapters",
        sa.Column("upload_id", sa.Uuid(), nullable=False),
        sa.Column("chapter_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_upload_chapters_upload_id_uploads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("upload_id", "chapter_number", name=op.f("pk_upload_chapters")),
    )


def downgrade() -> None:
    jobs = sa.table("jobs", sa.column("kind", sa.String()))
    op.execute(jobs.delete().where(jobs.c.kind == "process_upload"))
    _job_kinds("process_book")
    op.drop_table("upload_chapters")
    op.drop_index(op.f("ix_uploads_book_id"), table_name="uploads")
    op.drop_index(op.f("ix_uploads_owner_id"), table_name="uploads")
    op.drop_table("uploads")
    books = sa.table("books", sa.column("owner_id", sa.Uuid()))
    op.execute(books.delete().where(books.c.owner_id.is_not(None)))
    with op.batch_alter_table("books") as batch:
        batch.drop_constraint(batch.f("fk_books_owner_id_users"), type_="foreignkey")
        batch.drop_index(batch.f("ix_books_owner_id"))
        batch.drop_column("owner_id")
