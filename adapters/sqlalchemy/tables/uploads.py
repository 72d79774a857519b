"""Tables of the uploads feature: uploads and the text of their chapters.

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
from domain.upload import BookFormat


class UploadRow(Base):
    """A book file a user uploaded and what was detected in it (domain.upload.Upload)."""

    __tablename__ = "uploads"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[BookFormat] = mapped_column(enum_type(BookFormat, "book_format"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    file_key: Mapped[str] = mapped_column(sa.String(1024))
    cover_key: Mapped[str | None] = mapped_column(sa.String(1024))
    title: Mapped[str] = mapped_column(sa.String(500))
    author: Mapped[str] = mapped_column(sa.String(500))
    language: Mapped[str] = mapped_column(sa.String(16))
    chapters: Mapped[Any] = mapped_column(json_type())
    characters: Mapped[int] = mapped_column(sa.Integer)
    book_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("books.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UploadChapterRow(Base):
    """One detected chapter's title and text."""

    __tablename__ = "upload_chapters"

    upload_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("uploads.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_number: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    text: Mapped[str] = mapped_column(sa.Text)


uploads = cast("sa.Table", UploadRow.__table__)
upload_chapters = cast("sa.Table", UploadChapterRow.__table__)
