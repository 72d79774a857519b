"""In-memory repositories and search of the community feature.

Ratings are computed from the review rows whenever they are read, so they are always exact.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from adapters.memory.database import MemoryRepository
from adapters.search_text import OPERATORS, close_words, terms
from application.community.ports import CatalogueBook, CatalogueSlice, Like, SearchHit, Sort
from domain.community import BookRating, fold
from domain.errors import ReviewExists

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from adapters.memory.database import MemoryDatabase, Staged
    from application.community.ports import CatalogueFilter, CatalogueQuery
    from domain.book import Book
    from domain.community import Favorite, Profile, Review, ReviewFlag


def _alive(rows: dict[Any, Favorite | None]) -> list[Favorite]:
    return [row for row in rows.values() if row is not None]


class _Community(MemoryRepository):
    def _reviews(self) -> list[Review]:
        return [r for r in self._rows("reviews").values() if not r.is_deleted]

    def _rating(self, book_id: UUID) -> BookRating:
        ratings = [r.rating for r in self._reviews() if r.book_id == book_id]
        return BookRating(book_id, len(ratings), sum(ratings))

    def _catalogue_book(self, book: Book) -> CatalogueBook:
        favorites = sum(1 for f in _alive(self._rows("favorites")) if f.book_id == book.id)
        genres = self._rows("book_genres").get(book.id, ())
        return CatalogueBook(book, self._rating(book.id), favorites, genres)


class MemoryCatalogueRepository(_Community):
    """CatalogueRepository over the memory books."""

    def _all(self) -> list[CatalogueBook]:
        return [self._catalogue_book(b) for b in self._rows("books").values()]

    async def list(self, query: CatalogueQuery) -> CatalogueSlice:
        books = [b for b in self._all() if _keep(b, query.filters)]
        books.sort(key=lambda b: _order(b, query.sort))
        if query.after is not None:
            after = _order_of_key(query.after, query.sort)
            books = [b for b in books if _order(b, query.sort) > after]
        total = len(books) if query.count_total else None
        return CatalogueSlice(books[query.offset : query.offset + query.limit], total)

    async def get_many(self, book_ids: Sequence[UUID]) -> builtins.list[CatalogueBook]:
        rows = self._rows("books")
        return [self._catalogue_book(rows[i]) for i in book_ids if i in rows]

    async def find_ids_by_isbn(self, isbn13: str, isbn10: str | None) -> builtins.list[UUID]:
        isbns = self._rows("isbns")
        return [isbns[t].book_id for t in (isbn13, isbn10) if t is not None and t in isbns][:1]


def _keep(item: CatalogueBook, f: CatalogueFilter) -> bool:
    book = item.book
    return (
        (f.title is None or fold(f.title) in fold(book.title))
        and (f.author is None or fold(f.author) in fold(book.author))
        and (f.language is None or f.language == book.language)
        and (f.genre is None or f.genre in item.genres)
        and (f.min_rating is None or item.rating.average_rating >= _decimal(f.min_rating))
        and book.id not in f.exclude
        and book.visible_to(f.viewer_id)
    )


def _decimal(value: float) -> Any:
    from decimal import Decimal

    return Decimal(str(value))


def _order(item: CatalogueBook, sort: Sort) -> tuple[Any, ...]:
    key = item.sort_key(sort)
    return _order_of_key(key, sort)


def _order_of_key(key: tuple[Any, ...], sort: Sort) -> tuple[Any, ...]:
    """A tuple that ascends in the catalogue's order for ``sort``."""
    value, book_id = key
    if sort is Sort.TITLE:
        return (value, book_id)
    if sort is Sort.NEWEST:
        return (-datetime.fromisoformat(value).timestamp(), book_id)
    return (-value, book_id)


class MemoryProfileRepository(MemoryRepository):
    """ProfileRepository over a dict."""

    async def get(self, user_id: UUID) -> Profile | None:
        profile: Profile | None = self._rows("profiles").get(user_id)
        return profile

    async def save(self, profile: Profile) -> None:
        self._stage("profiles", profile.user_id, profile)


class MemoryGenreRepository(MemoryRepository):
    """GenreRepository over a dict of book -> genre ids."""

    async def set_for_book(self, book_id: UUID, genre_ids: Sequence[str]) -> None:
        self._stage("book_genres", book_id, tuple(genre_ids))

    async def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for genre_ids in self._rows("book_genres").values():
            for genre in genre_ids:
                counts[genre] = counts.get(genre, 0) + 1
        return counts


class MemoryReviewRepository(_Community):
    """ReviewRepository over dicts."""

    async def lock_book(self, book_id: UUID) -> None:
        """Nothing to lock: aggregates are computed from the rows when read."""

    async def get(self, review_id: UUID) -> Review | None:
        review: Review | None = self._rows("reviews").get(review_id)
        return review

    async def find_live(self, user_id: UUID, book_id: UUID) -> Review | None:
        return _live(self._rows("reviews"), user_id, book_id)

    async def add(self, review: Review) -> None:
        existing = await self.find_live(review.user_id, review.book_id)
        if existing is not None:
            raise ReviewExists(f"you already reviewed this book: review {existing.id}")
        self._stage("reviews", review.id, review)

        def unique(db: MemoryDatabase) -> None:
            clash = _live(db.table("reviews"), review.user_id, review.book_id)
            if clash is not None and clash.id != review.id:
                raise ReviewExists(
                    f"you already reviewed this book: review {clash.id}",
                    details={"review_id": str(clash.id)},
                )

        self._check_at_commit(unique)

    async def save(self, review: Review) -> None:
        self._stage("reviews", review.id, review)

    async def list_for_book(
        self, book_id: UUID, limit: int, offset: int
    ) -> tuple[list[Review], int]:
        return _newest([r for r in self._reviews() if r.book_id == book_id], limit, offset)

    async def list_for_user(
        self, user_id: UUID, limit: int, offset: int
    ) -> tuple[list[Review], int]:
        return _newest([r for r in self._reviews() if r.user_id == user_id], limit, offset)

    async def add_flag(self, flag: ReviewFlag) -> bool:
        key = (flag.review_id, flag.user_id)
        if key in self._rows("review_flags"):
            return False
        self._stage("review_flags", key, flag)
        return True

    async def refresh_rating(self, book_id: UUID) -> BookRating:
        return self._rating(book_id)

    async def refresh_all(self) -> int:
        return len(self._rows("books"))


def _live(rows: dict[UUID, Review], user_id: UUID, book_id: UUID) -> Review | None:
    return next(
        (
            r
            for r in rows.values()
            if r.user_id == user_id and r.book_id == book_id and not r.is_deleted
        ),
        None,
    )


def _newest(reviews: list[Review], limit: int, offset: int) -> tuple[list[Review], int]:
    reviews.sort(key=lambda r: (r.created_at, str(r.id)), reverse=True)
    return reviews[offset : offset + limit], len(reviews)


class MemoryFavoriteRepository(MemoryRepository):
    """FavoriteRepository over a dict."""

    async def add(self, favorite: Favorite) -> bool:
        key = (favorite.user_id, favorite.book_id)
        if self._rows("favorites").get(key) is not None:
            return False
        self._stage("favorites", key, favorite)
        return True

    async def remove(self, user_id: UUID, book_id: UUID) -> bool:
        if self._rows("favorites").get((user_id, book_id)) is None:
            return False
        self._stage("favorites", (user_id, book_id), None)  # a tombstone
        return True

    async def list_for_user(self, user_id: UUID, limit: int, offset: int) -> tuple[list[UUID], int]:
        mine = sorted(
            (f for f in _alive(self._rows("favorites")) if f.user_id == user_id),
            key=lambda f: (f.created_at, str(f.book_id)),
            reverse=True,
        )
        return [f.book_id for f in mine[offset : offset + limit]], len(mine)


class MemorySimilarityRepository(_Community):
    """SimilarityRepository over dicts."""

    async def likes(self) -> list[Like]:
        found = [Like(f.user_id, f.book_id) for f in _alive(self._rows("favorites"))]
        found += [
            Like(r.user_id, r.book_id, r.rating / 5) for r in self._reviews() if r.rating >= 4
        ]
        return found

    async def user_books(self, user_id: UUID) -> tuple[list[Like], set[UUID]]:
        likes = [like for like in await self.likes() if like.user_id == user_id]
        owned = {f.book_id for f in _alive(self._rows("favorites")) if f.user_id == user_id}
        owned |= {r.book_id for r in self._reviews() if r.user_id == user_id}
        return likes, owned

    async def replace_all(self, neighbours: dict[UUID, list[tuple[UUID, float]]]) -> None:
        self._stage("similarities", "all", dict(neighbours))

    async def neighbours(self, book_ids: Sequence[UUID]) -> dict[UUID, list[tuple[UUID, float]]]:
        table = self._rows("similarities").get("all", {})
        return {b: table[b] for b in book_ids if b in table}


class CommunityRepositories:
    """The community feature's repositories, for a memory unit of work."""

    _db: MemoryDatabase
    _staged: Staged

    @cached_property
    def catalogue(self) -> MemoryCatalogueRepository:
        return MemoryCatalogueRepository(self._db, self._staged)

    @cached_property
    def profiles(self) -> MemoryProfileRepository:
        return MemoryProfileRepository(self._db, self._staged)

    @cached_property
    def genres(self) -> MemoryGenreRepository:
        return MemoryGenreRepository(self._db, self._staged)

    @cached_property
    def reviews(self) -> MemoryReviewRepository:
        return MemoryReviewRepository(self._db, self._staged)

    @cached_property
    def favorites(self) -> MemoryFavoriteRepository:
        return MemoryFavoriteRepository(self._db, self._staged)

    @cached_property
    def similarities(self) -> MemorySimilarityRepository:
        return MemorySimilarityRepository(self._db, self._staged)


class MemoryBookSearch:
    """BookSearch over a MemoryDatabase's books: every query word must match a title or
    author word exactly, as a prefix, or one typo away; title matches weigh more."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        wanted = [t for t in terms(text) if t not in OPERATORS] or terms(text)
        hits = []
        for book in self._db.table("books").values():
            title, author = terms(book.title), terms(book.author)
            score = 0.0
            for term in wanted:
                best = max(_match(term, title) * 2, _match(term, author))
                if not best:
                    break
                score += best
            else:
                if wanted:
                    hits.append(SearchHit(book.id, score))
        hits.sort(key=lambda h: (-h.score, str(h.book_id)))
        return hits[:limit]


def _match(term: str, words: list[str]) -> float:
    if term in words:
        return 1.0
    if any(w.startswith(term) for w in words):
        return 0.8
    return 0.5 if close_words(term, words) else 0.0


__all__ = ["CommunityRepositories", "MemoryBookSearch"]
