"""Tables of the books feature: books, book_isbns, chapters, renditions, chapter_audio.

The names used in ``Mapped[...]`` annotations are imported at runtime on purpose:
SQLAlchemy resolves them when the classes are built, even with postponed annotations.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from adapters.sqlalchemy.tables.common import Base, UtcDateTime, enum_type, now_default
from domain.isbn import IsbnType

WORK_INDEX = "uq_books_work_key_language"
RENDITION_INDEX = "uq_renditions_book_id_recipe_key"
_HAS_WORK = sa.text("work_key IS NOT NULL")


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
    # Set for a book made from an upload: only its owner sees it (NULL: the shared catalogue).
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )


class BookIsbnRow(Base):
    """One known ISBN (10 or 13 form) pointing at a book."""

    __tablename__ = "book_isbns"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    isbn: Mapped[str] = mapped_column(sa.String(13), unique=True, index=True)
    isbn_type: Mapped[IsbnType] = mapped_column(enum_type(IsbnType, "isbn_type"))
    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=now_default())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=now_default(), onupdate=sa.func.now()
    )


class ChapterRow(Base):
    """A chapter and its summary; unique by (book_id, chapter_number)."""

    __tablename__ = "chapters"
    __table_args__ = (sa.UniqueConstraint("book_id", "chapter_number"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    book_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("books.id", ondelete="CASCADE"))
    chapter_number: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(500))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    word_count: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class RenditionRow(Base):
    """A book in one recipe (mode, provider, voice, speed); unique by (book, recipe)."""

    __tablename__ = "renditions"
    __table_args__ = (sa.Index(RENDITION_INDEX, "book_id", "recipe_key", unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    book_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("books.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(sa.String(32))
    provider: Mapped[str] = mapped_column(sa.String(32))
    voice: Mapped[str] = mapped_column(sa.String(64))
    speed: Mapped[float] = mapped_column(sa.Float)
    recipe_key: Mapped[str] = mapped_column(sa.String(160))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ChapterAudioRow(Base):
    """A chapter's stored MP3 in one rendition."""

    __tablename__ = "chapter_audio"

    rendition_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("renditions.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_number: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    audio_key: Mapped[str] = mapped_column(sa.String(1024))
    duration_s: Mapped[float] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


books = cast("sa.Table", BookRow.__table__)
book_isbns = cast("sa.Table", BookIsbnRow.__table__)
chapters = cast("sa.Table", ChapterRow.__table__)
renditions = cast("sa.Table", RenditionRow.__table__)
chapter_audio = cast("sa.Table", ChapterAudioRow.__table__)
