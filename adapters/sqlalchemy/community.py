"""SQLAlchemy repositories of the community feature: profiles, genres, reviews and the
rating aggregates, favourites, similarities."""

from __future__ import annotations

import builtins
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sqlalchemy._base import SqlRepository, unique_rule
from adapters.sqlalchemy.tables.books import books
from adapters.sqlalchemy.tables.community import (
    LIVE_REVIEW_INDEX,
    book_genres,
    book_similarities,
    book_stats,
    favorites,
    genres,
    profiles,
    review_flags,
    reviews,
)
from application.community.ports import Like
from domain.community import GENRES_BY_ID, BookRating, Profile, Review, bayesian_score
from domain.errors import ReviewExists

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from domain.community import Favorite, ReviewFlag

unique_rule(
    LIVE_REVIEW_INDEX,
    "reviews.user_id, reviews.book_id",
    ReviewExists("you already reviewed this book"),
)
_REVIEW_FIELDS = (
    "id", "user_id", "book_id", "rating", "text", "created_at", "updated_at", "deleted_at",
    "flags",
)  # fmt: skip


def _insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


class SqlAlchemyProfileRepository(SqlRepository):
    """ProfileRepository over ``profiles``."""

    async def get(self, user_id: UUID) -> Profile | None:
        statement = sa.select(profiles).where(profiles.c.user_id == user_id)
        row = (await self._session.execute(statement)).mappings().first()
        return None if row is None else Profile(**row)

    async def save(self, profile: Profile) -> None:
        row = {
            "user_id": profile.user_id,
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "updated_at": profile.updated_at,
        }
        await self._write(self._upsert(profiles, [row], key=["user_id"]))


class SqlAlchemyGenreRepository(SqlRepository):
    """GenreRepository over ``genres`` and ``book_genres``."""

    async def set_for_book(self, book_id: UUID, genre_ids: Sequence[str]) -> None:
        if genre_ids:
            rows = [{"id": g, "name": GENRES_BY_ID[g].name} for g in genre_ids]
            statement = _insert(self._dialect)(genres).values(rows).on_conflict_do_nothing()
            await self._session.execute(statement)
        await self._session.execute(sa.delete(book_genres).where(book_genres.c.book_id == book_id))
        if genre_ids:
            await self._session.execute(
                sa.insert(book_genres).values(
                    [{"book_id": book_id, "genre_id": g} for g in genre_ids]
                )
            )

    async def counts(self) -> dict[str, int]:
        statement = sa.select(book_genres.c.genre_id, sa.func.count()).group_by(
            book_genres.c.genre_id
        )
        return {genre: count for genre, count in await self._session.execute(statement)}


class SqlAlchemyReviewRepository(SqlRepository):
    """ReviewRepository over ``reviews``, ``review_flags`` and ``book_stats``."""

    async def lock_book(self, book_id: UUID) -> None:
        """Make sure the book's stats row exists, then lock it. The first statement is a
        write, so on SQLite the transaction holds the database's write lock from here on
        (what BEGIN IMMEDIATE would do); on PostgreSQL SELECT ... FOR UPDATE locks the row."""
        source = sa.select(books.c.id).where(books.c.id == book_id)
        insert = _insert(self._dialect)(book_stats).from_select(["book_id"], source)
        await self._session.execute(insert.on_conflict_do_nothing())
        if self._dialect == "postgresql":
            lock = sa.select(book_stats.c.book_id).where(book_stats.c.book_id == book_id)
            await self._session.execute(lock.with_for_update())

    async def get(self, review_id: UUID) -> Review | None:
        return await self._one(sa.select(reviews).where(reviews.c.id == review_id))

    async def find_live(self, user_id: UUID, book_id: UUID) -> Review | None:
        return await self._one(
            sa.select(reviews).where(
                reviews.c.user_id == user_id,
                reviews.c.book_id == book_id,
                reviews.c.deleted_at.is_(None),
            )
        )

    async def add(self, review: Review) -> None:
        row = {name: getattr(review, name) for name in _REVIEW_FIELDS}
        await self._write(sa.insert(reviews).values(row))

    async def save(self, review: Review) -> None:
        row = {name: getattr(review, name) for name in _REVIEW_FIELDS if name != "id"}
        await self._write(sa.update(reviews).where(reviews.c.id == review.id).values(row))

    async def list_for_book(
        self, book_id: UUID, limit: int, offset: int
    ) -> tuple[builtins.list[Review], int]:
        return await self._newest(reviews.c.book_id == book_id, limit, offset)

    async def list_for_user(
        self, user_id: UUID, limit: int, offset: int
    ) -> tuple[builtins.list[Review], int]:
        return await self._newest(reviews.c.user_id == user_id, limit, offset)

    async def add_flag(self, flag: ReviewFlag) -> bool:
        row = {
            "review_id": flag.review_id,
            "user_id": flag.user_id,
            "reason": flag.reason,
            "created_at": flag.created_at,
        }
        statement = _insert(self._dialect)(review_flags).values(row).on_conflict_do_nothing()
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def refresh_rating(self, book_id: UUID) -> BookRating:
        live = sa.and_(reviews.c.book_id == book_id, reviews.c.deleted_at.is_(None))
        statement = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(reviews.c.rating), 0))
        count, total = (await self._session.execute(statement.where(live))).one()
        kept = sa.select(sa.func.count()).where(favorites.c.book_id == book_id)
        favorite_count = (await self._session.execute(kept)).scalar_one()
        rating = BookRating(book_id, int(count), int(total))
        values = {
            "total_reviews": rating.total_reviews,
            "rating_sum": rating.rating_sum,
            "average_centi": int(rating.average_rating * 100),
            "score": rating.score,
            "favorites": favorite_count,
            "popularity": rating.total_reviews + favorite_count,
        }
        await self._session.execute(
            self._upsert(book_stats, [{"book_id": book_id, **values}], key=["book_id"])
        )
        return rating

    async def refresh_all(self) -> int:
        """Recompute every book's stats in one statement (repairs any drift)."""
        live = reviews.c.deleted_at.is_(None)
        counted = (
            sa.select(
                reviews.c.book_id,
                sa.func.count().label("n"),
                sa.func.sum(reviews.c.rating).label("s"),
            )
            .where(live)
            .group_by(reviews.c.book_id)
            .subquery()
        )
        kept = (
            sa.select(favorites.c.book_id, sa.func.count().label("f"))
            .group_by(favorites.c.book_id)
            .subquery()
        )
        n = sa.func.coalesce(counted.c.n, 0)
        s = sa.func.coalesce(counted.c.s, 0)
        f = sa.func.coalesce(kept.c.f, 0)
        average = sa.case((n == 0, 0), else_=(s * 200 + n) / (n * 2))
        prior = bayesian_score(0, 0) * 10
        source = (
            sa.select(books.c.id, n, s, average, (prior + s) / (10.0 + n), f, n + f)
            .select_from(
                books.outerjoin(counted, counted.c.book_id == books.c.id).outerjoin(
                    kept, kept.c.book_id == books.c.id
                )
            )
            .where(sa.true())
        )
        columns = [
            "book_id", "total_reviews", "rating_sum", "average_centi", "score", "favorites",
            "popularity",
        ]  # fmt: skip
        insert = _insert(self._dialect)(book_stats).from_select(columns, source)
        insert = insert.on_conflict_do_update(
            index_elements=["book_id"], set_={c: insert.excluded[c] for c in columns[1:]}
        )
        result = await self._session.execute(insert)
        return int(getattr(result, "rowcount", 0) or 0)

    async def _one(self, statement: sa.Select[Any]) -> Review | None:
        row = (await self._session.execute(statement)).mappings().first()
        return None if row is None else Review(**{n: row[n] for n in _REVIEW_FIELDS})

    async def _newest(
        self, where: sa.ColumnElement[bool], limit: int, offset: int
    ) -> tuple[builtins.list[Review], int]:
        live = sa.and_(where, reviews.c.deleted_at.is_(None))
        total = (await self._session.execute(sa.select(sa.func.count()).where(live))).scalar_one()
        statement = (
            sa.select(reviews)
            .where(live)
            .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        rows = (await self._session.execute(statement)).mappings().all()
        return [Review(**{n: r[n] for n in _REVIEW_FIELDS}) for r in rows], int(total)


class SqlAlchemyFavoriteRepository(SqlRepository):
    """FavoriteRepository over ``favorites``."""

    async def add(self, favorite: Favorite) -> bool:
        row = {
            "user_id": favorite.user_id,
            "book_id": favorite.book_id,
            "created_at": favorite.created_at,
        }
        statement = _insert(self._dialect)(favorites).values(row).on_conflict_do_nothing()
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def remove(self, user_id: UUID, book_id: UUID) -> bool:
        statement = sa.delete(favorites).where(
            favorites.c.user_id == user_id, favorites.c.book_id == book_id
        )
        result = await self._session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def list_for_user(
        self, user_id: UUID, limit: int, offset: int
    ) -> tuple[builtins.list[UUID], int]:
        mine = favorites.c.user_id == user_id
        total = (await self._session.execute(sa.select(sa.func.count()).where(mine))).scalar_one()
        statement = (
            sa.select(favorites.c.book_id)
            .where(mine)
            .order_by(favorites.c.created_at.desc(), favorites.c.book_id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list((await self._session.execute(statement)).scalars()), int(total)


class SqlAlchemySimilarityRepository(SqlRepository):
    """SimilarityRepository over ``favorites``, ``reviews`` and ``book_similarities``."""

    async def likes(self) -> builtins.list[Like]:
        return await self._likes(None)

    async def _likes(self, user_id: UUID | None) -> builtins.list[Like]:
        kept = sa.select(favorites.c.user_id, favorites.c.book_id)
        liked = sa.select(reviews.c.user_id, reviews.c.book_id, reviews.c.rating).where(
            reviews.c.deleted_at.is_(None), reviews.c.rating >= 4
        )
        if user_id is not None:
            kept = kept.where(favorites.c.user_id == user_id)
            liked = liked.where(reviews.c.user_id == user_id)
        found = [Like(u, b) for u, b in await self._session.execute(kept)]
        found += [Like(u, b, r / 5) for u, b, r in await self._session.execute(liked)]
        return found

    async def user_books(self, user_id: UUID) -> tuple[builtins.list[Like], set[UUID]]:
        owned = set(
            (
                await self._session.execute(
                    sa.select(reviews.c.book_id).where(
                        reviews.c.user_id == user_id, reviews.c.deleted_at.is_(None)
                    )
                )
            ).scalars()
        )
        owned |= set(
            (
                await self._session.execute(
                    sa.select(favorites.c.book_id).where(favorites.c.user_id == user_id)
                )
            ).scalars()
        )
        return await self._likes(user_id), owned

    async def replace_all(self, neighbours: dict[UUID, builtins.list[tuple[UUID, float]]]) -> None:
        await self._session.execute(sa.delete(book_similarities))
        rows = [
            {"book_id": book, "other_id": other, "similarity": similarity}
            for book, others in neighbours.items()
            for other, similarity in others
        ]
        for start in range(0, len(rows), 1000):
            await self._session.execute(sa.insert(book_similarities), rows[start : start + 1000])

    async def neighbours(
        self, book_ids: Sequence[UUID]
    ) -> dict[UUID, builtins.list[tuple[UUID, float]]]:
        if not book_ids:
            return {}
        statement = (
            sa.select(book_similarities)
            .where(book_similarities.c.book_id.in_(list(book_ids)))
            .order_by(book_similarities.c.book_id, book_similarities.c.similarity.desc())
        )
        found: defaultdict[UUID, builtins.list[tuple[UUID, float]]] = defaultdict(builtins.list)
        for row in (await self._session.execute(statement)).mappings():
            found[row["book_id"]].append((row["other_id"], row["similarity"]))
        return dict(found)
