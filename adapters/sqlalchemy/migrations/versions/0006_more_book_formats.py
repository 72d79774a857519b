"""Books from more file formats: ``uploads.format`` may be html, fb2, docx or mobi.

The column is a VARCHAR(16) with a CHECK constraint naming the allowed values (a portable
enum): only the constraint changes, on PostgreSQL and SQLite (where batch mode rebuilds
the table).

Downgrade deletes the uploads in the new formats and their chapters' text, as deleting an
upload does (a book already made from one stays; its stored file is left in the upload
store).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOK_FORMAT = "ck_uploads_book_format"
OLD_FORMATS = ("epub", "pdf", "txt")
NEW_FORMATS = ("html", "fb2", "docx", "mobi")


def _formats(*formats: str) -> None:
    allowed = ", ".join(f"'{fmt}'" for fmt in formats)
    with op.batch_alter_table("uploads") as batch:
        batch.drop_constraint(op.f(BOOK_FORMAT), type_="check")
        batch.create_check_constraint(op.f(BOOK_FORMAT), sa.text(f"format IN ({allowed})"))


def upgrade() -> None:
    _formats(*OLD_FORMATS, *NEW_FORMATS)


def downgrade() -> None:
    uploads = sa.table("uploads", sa.column("id", sa.Uuid()), sa.column("format", sa.String()))
    chapters = sa.table("upload_chapters", sa.column("upload_id", sa.Uuid()))
    newer = sa.select(uploads.c.id).where(uploads.c.format.in_(NEW_FORMATS))
    op.execute(chapters.delete().where(chapters.c.upload_id.in_(newer)))
    op.execute(uploads.delete().where(uploads.c.format.in_(NEW_FORMATS)))
    _formats(*OLD_FORMATS)
