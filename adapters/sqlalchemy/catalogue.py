"""SqlAlchemyCatalogueRepository: books joined with their stats and genres, filtered,
sorted and sliced by offset or keyset."""

from __future__ import annotations

import builtins
import uuid
from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository
from adapters.sqlalchemy.books import _FIELDS as _BOOK_FIELDS
from adapters.sqlalchemy.tables.books import book_isbns, books
from adapters.sqlalchemy.tables.community import book_genres, book_stats
from application.community.ports import CatalogueBook, CatalogueSlice, Sort
from domain.book import Book
from domain.community import BookRating, bayesian_score

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from application.community.ports import CatalogueFilter, CatalogueQuery

_STATS = {
    "total_reviews": sa.func.coalesce(book_stats.c.total_reviews, 0),
    "rating_sum": sa.func.coalesce(book_stats.c.rating_sum, 0),
    "favorites": sa.func.coalesce(book_stats.c.favorites, 0),
    "average_centi": sa.func.coalesce(book_stats.c.average_centi, 0),
    "popularity": sa.func.coalesce(book_stats.c.popularity, 0),
    "score": sa.func.coalesce(book_stats.c.score, bayesian_score(0, 0)),
}
_SORT_COLUMN: dict[Sort, sa.ColumnElement[Any]] = {
    Sort.TITLE: books.c.title,
    Sort.NEWEST: books.c.created_at,
    Sort.RATING: _STATS["average_centi"],
    Sort.POPULARITY: _STATS["popularity"],
    Sort.SCORE: _STATS["score"],
}


def _conditions(f: CatalogueFilter) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    if f.title is not None:
        found.append(sa.func.lower(books.c.title).contains(f.title.lower(), autoescape=True))
    if f.author is not None:
        found.append(sa.func.lower(books.c.author).contains(f.author.lower(), autoescape=True))
    if f.language is not None:
        found.append(books.c.language == f.language)
    if f.genre is not None:
        genre = sa.select(book_genres.c.book_id).where(book_genres.c.genre_id == f.genre)
        found.append(books.c.id.in_(genre))
    if f.min_rating is not None:
        found.append(_STATS["average_centi"] >= round(f.min_rating * 100))
    if f.exclude:
        found.append(books.c.id.not_in(list(f.exclude)))
    shared = books.c.owner_id.is_(None)
    found.append(shared if f.viewer_id is None else sa.or_(shared, books.c.owner_id == f.viewer_id))
    return found


def _after(sort: Sort, key: tuple[Any, ...]) -> sa.ColumnElement[bool]:
    """Rows strictly after ``key`` in the order of ``sort`` (keyset pagination)."""
    value, book_id = key[0], uuid.UUID(str(key[1]))
    column = _SORT_COLUMN[sort]
    if sort is Sort.NEWEST:
        value = datetime.fromisoformat(str(value))
    beyond = column > value if sort is Sort.TITLE else column < value
    return sa.or_(beyond, sa.and_(column == value, books.c.id > book_id))


class SqlAlchemyCatalogueRepository(SqlRepository):
    """CatalogueRepository over books, book_stats and book_genres."""

    def _select(self) -> sa.Select[Any]:
        return sa.select(books, *(v.label(k) for k, v in _STATS.items())).select_from(
            books.outerjoin(book_stats, book_stats.c.book_id == books.c.id)
        )

    async def list(self, query: CatalogueQuery) -> CatalogueSlice:
        conditions = _conditions(query.filters)
        total = None
        if query.count_total:
            count = sa.select(sa.func.count()).select_from(
                self._select().where(*conditions).subquery()
            )
            total = (await self._session.execute(count)).scalar_one()
        column = _SORT_COLUMN[query.sort]
        order = column.asc() if query.sort is Sort.TITLE else column.desc()
        statement = self._select().where(*conditions)
        if query.after is not None:
            statement = statement.where(_after(query.sort, query.after))
        statement = statement.order_by(order, books.c.id).offset(query.offset).limit(query.limit)
        rows = (await self._session.execute(statement)).mappings().all()
        return CatalogueSlice(await self._load(rows), total)

    async def get_many(self, book_ids: Sequence[UUID]) -> builtins.list[CatalogueBook]:
        if not book_ids:
            return []
        statement = self._select().where(books.c.id.in_(list(book_ids)))
        rows = (await self._session.execute(statement)).mappings().all()
        by_id = {item.book.id: item for item in await self._load(rows)}
        return [by_id[i] for i in book_ids if i in by_id]

    async def find_ids_by_isbn(self, isbn13: str, isbn10: str | None) -> builtins.list[UUID]:
        forms = [isbn13] + ([isbn10] if isbn10 else [])
        statement = sa.select(book_isbns.c.book_id).where(book_isbns.c.isbn.in_(forms)).limit(1)
        return list((await self._session.execute(statement)).scalars())

    async def _load(self, rows: Sequence[sa.RowMapping]) -> builtins.list[CatalogueBook]:
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        isbns: defaultdict[UUID, builtins.list[str]] = defaultdict(builtins.list)
        statement = (
            sa.select(book_isbns.c.book_id, book_isbns.c.isbn)
            .where(book_isbns.c.book_id.in_(ids))
            .order_by(book_isbns.c.isbn_type.desc(), book_isbns.c.isbn)
        )
        for book_id, isbn in await self._session.execute(statement):
            isbns[book_id].append(isbn)
        genres: defaultdict[UUID, builtins.list[str]] = defaultdict(builtins.list)
        statement = (
            sa.select(book_genres.c.book_id, book_genres.c.genre_id)
            .where(book_genres.c.book_id.in_(ids))
            .order_by(book_genres.c.genre_id)
        )
        for book_id, genre in await self._session.execute(statement):
            genres[book_id].append(genre)
        return [
            CatalogueBook(
                Book(**{n: row[n] for n in _BOOK_FIELDS}, isbns=tuple(isbns[row["id"]])),
                BookRating(row["id"], row["total_reviews"], row["rating_sum"]),
                row["favorites"],
                tuple(genres[row["id"]]),
            )
            for row in rows
        ]
