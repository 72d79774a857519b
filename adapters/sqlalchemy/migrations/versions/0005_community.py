"""Community: profiles, genres, reviews and flags, favourites, book stats, similarities,
and the search indexes (PostgreSQL: unaccent + pg_trgm, a weighted tsvector GIN index and
trigram GIN indexes over stored generated columns of books; SQLite: an FTS5 table over books kept by triggers).

Revision ID: 0005
Revises: 0004 (re-chain after the other wave-2 migration "0004" when merging)
Create Date: 2026-11-23 18:30:12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.sqlalchemy.tables.community import (
    POSTGRES_SEARCH_DROP,
    POSTGRES_SEARCH_FUNCTIONS,
    SQLITE_SEARCH_DDL,
    SQLITE_SEARCH_DROP,
    postgres_search_columns,
)
from domain.community import GENRES

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "genres",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genres")),
    )
    op.create_table(
        "book_genres",
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("genre_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_genres_book_id_books"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["genre_id"],
            ["genres.id"],
            name=op.f("fk_book_genres_genre_id_genres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("book_id", "genre_id", name=op.f("pk_book_genres")),
    )
    with op.batch_alter_table("book_genres", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_book_genres_genre_id"), ["genre_id"], unique=False)

    op.create_table(
        "book_similarities",
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("other_id", sa.Uuid(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["books.id"],
            name=op.f("fk_book_similarities_book_id_books"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["books.id"],
            name=op.f("fk_book_similarities_other_id_books"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("book_id", "other_id", name=op.f("pk_book_similarities")),
    )
    op.create_table(
        "book_stats",
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("total_reviews", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rating_sum", sa.Integer(), server_default="0", nullable=False),
        sa.Column("average_centi", sa.Integer(), server_default="0", nullable=False),
        sa.Column("score", sa.Float(), server_default="0", nullable=False),
        sa.Column("favorites", sa.Integer(), server_default="0", nullable=False),
        sa.Column("popularity", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_book_stats_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("book_id", name=op.f("pk_book_stats")),
    )
    with op.batch_alter_table("book_stats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_book_stats_average_centi"), ["average_centi"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_book_stats_popularity"), ["popularity"], unique=False)
        batch_op.create_index(batch_op.f("ix_book_stats_score"), ["score"], unique=False)

    op.create_table(
        "favorites",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            TIMESTAMP,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_favorites_book_id_books"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_favorites_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "book_id", name=op.f("pk_favorites")),
    )
    with op.batch_alter_table("favorites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_favorites_book_id"), ["book_id"], unique=False)
        batch_op.create_index(
            "ix_favorites_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column(
            "updated_at",
            TIMESTAMP,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("flags", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "created_at",
            TIMESTAMP,
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            TIMESTAMP,
            nullable=False,
        ),
        sa.Column(
            "deleted_at",
            TIMESTAMP,
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_reviews_book_id_books"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reviews_book_id_created_at", ["book_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_reviews_user_id_created_at", ["user_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "uq_reviews_user_id_book_id_live",
            ["user_id", "book_id"],
            unique=True,
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "review_flags",
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "created_at",
            TIMESTAMP,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_review_flags_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_flags_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", "user_id", name=op.f("pk_review_flags")),
    )
    genres = sa.table("genres", sa.column("id", sa.String), sa.column("name", sa.String))
    op.bulk_insert(genres, [{"id": g.id, "name": g.name} for g in GENRES])
    _create_search()


def _create_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in [*POSTGRES_SEARCH_FUNCTIONS, *postgres_search_columns()]:
            op.execute(statement)
    elif dialect == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            op.execute(statement)
        op.execute("INSERT INTO books_fts(books_fts) VALUES ('rebuild')")


def _drop_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in POSTGRES_SEARCH_DROP:
            op.execute(statement)
    elif dialect == "sqlite":
        for statement in SQLITE_SEARCH_DROP:
            op.execute(statement)


def downgrade() -> None:
    _drop_search()
    op.drop_table("review_flags")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_reviews_user_id_book_id_live",
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index("ix_reviews_user_id_created_at")
        batch_op.drop_index("ix_reviews_book_id_created_at")

    op.drop_table("reviews")
    op.drop_table("profiles")
    with op.batch_alter_table("favorites", schema=None) as batch_op:
        batch_op.drop_index("ix_favorites_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_favorites_book_id"))

    op.drop_table("favorites")
    with op.batch_alter_table("book_stats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_book_stats_score"))
        batch_op.drop_index(batch_op.f("ix_book_stats_popularity"))
        batch_op.drop_index(batch_op.f("ix_book_stats_average_centi"))

    op.drop_table("book_stats")
    op.drop_table("book_similarities")
    with op.batch_alter_table("book_genres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_book_genres_genre_id"))

    op.drop_table("book_genres")
    op.drop_table("genres")
