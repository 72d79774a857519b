"""Tables of the community feature: profiles, genres, reviews, flags, favourites, book
stats (the rating aggregates) and item-to-item similarities; and the search DDL.

Search structures live outside the MetaData (autogenerate ignores them, see
``include_name``): on PostgreSQL, a stored generated column on ``books`` (the weighted
tsvector ``search_document``, folded by unaccent) with a GIN index, and the word list
``search_words`` (trigram-indexed) kept by a trigger; on SQLite, the FTS5 table
``books_fts`` kept in step with ``books`` by triggers. Migration 0005 makes them, and so
does ``create_all`` (tests, a fresh embedded database).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from adapters.sqlalchemy.tables.books import BookRow
from adapters.sqlalchemy.tables.common import Base, UtcDateTime

LIVE_REVIEW_INDEX = "uq_reviews_user_id_book_id_live"
_LIVE = sa.text("deleted_at IS NULL")


class ProfileRow(Base):
    """A user's names."""

    __tablename__ = "profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GenreRow(Base):
    """A genre of the curated list (domain.community.GENRES)."""

    __tablename__ = "genres"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))


class BookGenreRow(Base):
    """A book in a genre."""

    __tablename__ = "book_genres"

    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    genre_id: Mapped[str] = mapped_column(
        sa.ForeignKey("genres.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReviewRow(Base):
    """A review; at most one live (not deleted) review per user and book."""

    __tablename__ = "reviews"
    __table_args__ = (
        sa.Index(
            LIVE_REVIEW_INDEX,
            "user_id",
            "book_id",
            unique=True,
            postgresql_where=_LIVE,
            sqlite_where=_LIVE,
        ),
        sa.Index("ix_reviews_book_id_created_at", "book_id", "created_at"),
        sa.Index("ix_reviews_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    book_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("books.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.Text)
    flags: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ReviewFlagRow(Base):
    """A user's report of a review."""

    __tablename__ = "review_flags"

    review_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FavoriteRow(Base):
    """A user's favourite book."""

    __tablename__ = "favorites"
    __table_args__ = (sa.Index("ix_favorites_user_id_created_at", "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BookStatsRow(Base):
    """A book's rating aggregate and counters; the row writers lock (FOR UPDATE)."""

    __tablename__ = "book_stats"

    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    total_reviews: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    rating_sum: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    average_centi: Mapped[int] = mapped_column(sa.Integer, server_default="0", index=True)
    score: Mapped[float] = mapped_column(sa.Float, server_default="0", index=True)
    favorites: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    popularity: Mapped[int] = mapped_column(sa.Integer, server_default="0", index=True)


class BookSimilarityRow(Base):
    """One precomputed neighbour of a book."""

    __tablename__ = "book_similarities"

    book_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    similarity: Mapped[float] = mapped_column(sa.Float)


profiles = cast("sa.Table", ProfileRow.__table__)
genres = cast("sa.Table", GenreRow.__table__)
book_genres = cast("sa.Table", BookGenreRow.__table__)
reviews = cast("sa.Table", ReviewRow.__table__)
review_flags = cast("sa.Table", ReviewFlagRow.__table__)
favorites = cast("sa.Table", FavoriteRow.__table__)
book_stats = cast("sa.Table", BookStatsRow.__table__)
book_similarities = cast("sa.Table", BookSimilarityRow.__table__)

# --- search DDL (outside the MetaData) ----------------------------------------------------

SEARCH_PREFIXES = ("books_fts", "ix_books_search", "search_")

POSTGRES_SEARCH_FUNCTIONS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # unaccent() is only STABLE; generated columns need an IMMUTABLE wrapper naming its
    # dictionary.
    "CREATE OR REPLACE FUNCTION bookbytes_fold(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
]


# Every word of the catalogue (folded), for typo correction; kept by a trigger on books.
search_words = sa.Table(
    "search_words", sa.MetaData(), sa.Column("word", sa.Text, primary_key=True)
)  # not on Base.metadata: PostgreSQL only, made by the statements below


def postgres_search_columns(table: str = "books", schema: str | None = None) -> list[str]:
    """On PostgreSQL: the stored weighted document of ``books`` (title A, author B, folded)
    with its GIN index, and the word list (``search_words``, C collation, trigram index)
    that a trigger on ``books`` keeps in step."""
    document = (
        "setweight(to_tsvector('simple', bookbytes_fold(title)), 'A') || "
        "setweight(to_tsvector('simple', bookbytes_fold(author)), 'B')"
    )
    words = f'"{schema}".search_words' if schema else "search_words"
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_document tsvector "
        f"GENERATED ALWAYS AS ({document}) STORED",
        f"CREATE INDEX IF NOT EXISTS ix_books_search_document ON {table} "
        "USING gin (search_document)",
        f'CREATE TABLE IF NOT EXISTS {words} (word text COLLATE "C" PRIMARY KEY)',
        f"CREATE INDEX IF NOT EXISTS ix_books_search_words_trgm ON {words} "
        "USING gin (word gin_trgm_ops)",
        "CREATE OR REPLACE FUNCTION bookbytes_collect_words() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "EXECUTE format('INSERT INTO %I.search_words (word) SELECT lexeme FROM "
        "unnest(to_tsvector(''simple'', bookbytes_fold($1 || '' '' || $2))) "
        "ON CONFLICT DO NOTHING', TG_TABLE_SCHEMA) USING NEW.title, NEW.author; "
        "RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS books_search_words ON {table}",
        f"CREATE TRIGGER books_search_words AFTER INSERT OR UPDATE OF title, author ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION bookbytes_collect_words()",
        f"INSERT INTO {words} (word) SELECT DISTINCT lexeme FROM {table}, "  # noqa: S608 - our names
        "unnest(search_document) ON CONFLICT DO NOTHING",
    ]


POSTGRES_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS books_search_words ON books",
    "DROP FUNCTION IF EXISTS bookbytes_collect_words()",
    "DROP TABLE IF EXISTS search_words",
    "DROP INDEX IF EXISTS ix_books_search_document",
    "ALTER TABLE books DROP COLUMN IF EXISTS search_document",
    "DROP FUNCTION IF EXISTS bookbytes_fold(text)",
]
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS books_fts USING fts5(title, author, "
    "content='books', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', "
    "prefix='2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS books_fts_vocab USING fts5vocab(books_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS books_fts_insert AFTER INSERT ON books BEGIN "
    "INSERT INTO books_fts(rowid, title, author) VALUES (new.rowid, new.title, new.author); END",
    "CREATE TRIGGER IF NOT EXISTS books_fts_delete AFTER DELETE ON books BEGIN "
    "INSERT INTO books_fts(books_fts, rowid, title, author) "
    "VALUES ('delete', old.rowid, old.title, old.author); END",
    "CREATE TRIGGER IF NOT EXISTS books_fts_update AFTER UPDATE ON books BEGIN "
    "INSERT INTO books_fts(books_fts, rowid, title, author) "
    "VALUES ('delete', old.rowid, old.title, old.author); "
    "INSERT INTO books_fts(rowid, title, author) VALUES (new.rowid, new.title, new.author); END",
]
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS books_fts_update",
    "DROP TRIGGER IF EXISTS books_fts_delete",
    "DROP TRIGGER IF EXISTS books_fts_insert",
    "DROP TABLE IF EXISTS books_fts_vocab",
    "DROP TABLE IF EXISTS books_fts",
]


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic hook: leave the search objects (made by SQL, not the MetaData) alone."""
    return not (name or "").startswith(SEARCH_PREFIXES)


@event.listens_for(BookRow.__table__, "after_create")
def _create_search(target: sa.Table, connection: sa.Connection, **_: Any) -> None:
    """``create_all`` (tests, the embedded mode) makes the search objects too."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        schema = (connection.get_execution_options().get("schema_translate_map") or {}).get(
            None, target.schema
        )
        table = f'"{schema}".{target.name}' if schema else target.name
        for statement in [*POSTGRES_SEARCH_FUNCTIONS, *postgres_search_columns(table, schema)]:
            connection.exec_driver_sql(statement)
