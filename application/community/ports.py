"""Ports of the community feature: profiles, genres, reviews and ratings, favourites,
the browsable catalogue, search, and the item-to-item similarities behind recommendations."""

from __future__ import annotations

import builtins
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from application.shared.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from domain.book import Book
    from domain.community import BookRating, Favorite, Profile, Review, ReviewFlag


class Sort(enum.StrEnum):
    """Orders of the catalogue (``score`` is the confidence-aware rank of recommendations)."""

    TITLE = "title"
    NEWEST = "newest"
    RATING = "rating"
    POPULARITY = "popularity"
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    """Optional filters of the catalogue; every one given must hold."""

    title: str | None = None
    author: str | None = None
    language: str | None = None
    genre: str | None = None
    min_rating: float | None = None
    exclude: frozenset[UUID] = frozenset()
    # Books made from uploads are their owner's only: shown to this viewer (None: nobody).
    viewer_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class CatalogueQuery:
    """A slice of the catalogue: by offset (page mode) or after a sort key (cursor mode)."""

    filters: CatalogueFilter = field(default_factory=CatalogueFilter)
    sort: Sort = Sort.TITLE
    limit: int = 20
    offset: int = 0
    after: tuple[Any, ...] | None = None
    count_total: bool = True


@dataclass(frozen=True, slots=True)
class CatalogueBook:
    """A book as the community sees it: its rating, favourites and genres."""

    book: Book
    rating: BookRating
    favorites: int = 0
    genres: tuple[str, ...] = ()

    @property
    def popularity(self) -> int:
        return self.rating.total_reviews + self.favorites

    def sort_key(self, sort: Sort) -> tuple[Any, ...]:
        """The values the catalogue orders by under ``sort``, the book id last."""
        book_id = str(self.book.id)
        match sort:
            case Sort.TITLE:
                return (self.book.title, book_id)
            case Sort.NEWEST:
                return (self.book.created_at.isoformat(), book_id)
            case Sort.RATING:
                return (int(self.rating.average_rating * 100), book_id)
            case Sort.POPULARITY:
                return (self.popularity, book_id)
            case _:
                return (self.rating.score, book_id)


@dataclass(frozen=True, slots=True)
class CatalogueSlice:
    """Books of one slice; ``total`` is None when it was not counted (cursor mode)."""

    items: Sequence[CatalogueBook]
    total: int | None


class CatalogueRepository(Protocol):
    """The books of the shared catalogue with their ratings and genres."""

    async def list(self, query: CatalogueQuery) -> CatalogueSlice:
        """Books matching the filters, in ``query.sort`` order with the id breaking ties
        (title and id ascend; the others descend, id ascending), at most ``limit``."""
        ...

    async def get_many(self, book_ids: Sequence[UUID]) -> builtins.list[CatalogueBook]:
        """These books (unknown ids left out), in the order asked."""
        ...

    async def find_ids_by_isbn(self, isbn13: str, isbn10: str | None) -> builtins.list[UUID]:
        """The book(s) one ISBN points at."""
        ...


class ProfileRepository(Protocol):
    """Users' profiles."""

    async def get(self, user_id: UUID) -> Profile | None: ...
    async def save(self, profile: Profile) -> None:
        """Insert or update by user."""
        ...


class GenreRepository(Protocol):
    """Which books are in which genres."""

    async def set_for_book(self, book_id: UUID, genre_ids: Sequence[str]) -> None:
        """Replace the book's genres."""
        ...

    async def counts(self) -> dict[str, int]:
        """How many books each genre has (genres without books left out)."""
        ...


class ReviewRepository(Protocol):
    """Reviews, their flags, and the books' rating aggregates."""

    async def lock_book(self, book_id: UUID) -> None:
        """Serialise rating writes on this book until the transaction ends (a row lock on
        PostgreSQL, the write lock on SQLite). Call it before anything else."""
        ...

    async def get(self, review_id: UUID) -> Review | None:
        """A review, deleted or not."""
        ...

    async def find_live(self, user_id: UUID, book_id: UUID) -> Review | None:
        """The user's review of the book that is not deleted."""
        ...

    async def add(self, review: Review) -> None:
        """Insert. Raises ReviewExists when the user has a live review of the book."""
        ...

    async def save(self, review: Review) -> None:
        """Update by id."""
        ...

    async def list_for_book(
        self, book_id: UUID, limit: int, offset: int
    ) -> tuple[list[Review], int]:
        """Live reviews of a book, newest first, and how many there are."""
        ...

    async def list_for_user(
        self, user_id: UUID, limit: int, offset: int
    ) -> tuple[list[Review], int]:
        """A user's live reviews, newest first, and how many there are."""
        ...

    async def add_flag(self, flag: ReviewFlag) -> bool:
        """Record a flag; False when this user had already flagged the review."""
        ...

    async def refresh_rating(self, book_id: UUID) -> BookRating:
        """Recompute the book's aggregate from its live reviews and store it."""
        ...

    async def refresh_all(self) -> int:
        """Recompute every book's aggregate (repairs drift); how many books."""
        ...


class FavoriteRepository(Protocol):
    """Users' favourite books."""

    async def add(self, favorite: Favorite) -> bool:
        """Keep a favourite; False when it was already kept."""
        ...

    async def remove(self, user_id: UUID, book_id: UUID) -> bool:
        """Drop a favourite; False when there was none."""
        ...

    async def list_for_user(self, user_id: UUID, limit: int, offset: int) -> tuple[list[UUID], int]:
        """The user's favourite book ids, newest first, and how many there are."""
        ...


@dataclass(frozen=True, slots=True)
class Like:
    """A user liking a book: a favourite, or a review of 4 stars or more."""

    user_id: UUID
    book_id: UUID
    weight: float = 1.0


class SimilarityRepository(Protocol):
    """Precomputed item-to-item similarities and the signals they come from."""

    async def likes(self) -> list[Like]:
        """Every like (favourites and reviews of 4+ stars; a review weighs its stars/5)."""
        ...

    async def user_books(self, user_id: UUID) -> tuple[list[Like], set[UUID]]:
        """What the user likes, and every book the user has (favourite or reviewed)."""
        ...

    async def replace_all(self, neighbours: dict[UUID, list[tuple[UUID, float]]]) -> None:
        """Store new neighbour lists, replacing the old ones."""
        ...

    async def neighbours(self, book_ids: Sequence[UUID]) -> dict[UUID, list[tuple[UUID, float]]]:
        """The stored neighbours of these books, most similar first."""
        ...


class CommunityUnitOfWork(UnitOfWork, Protocol):
    """A transaction over the community's data."""

    @property
    def catalogue(self) -> CatalogueRepository: ...
    @property
    def profiles(self) -> ProfileRepository: ...
    @property
    def genres(self) -> GenreRepository: ...
    @property
    def reviews(self) -> ReviewRepository: ...
    @property
    def favorites(self) -> FavoriteRepository: ...
    @property
    def similarities(self) -> SimilarityRepository: ...


CommunityUnitOfWorkFactory = UnitOfWorkFactory[CommunityUnitOfWork]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One book a search found, and how well it matched (higher is better)."""

    book_id: UUID
    score: float


class BookSearch(Protocol):
    """Full-text search over the catalogue (title, then author), forgiving accents,
    case, unfinished words and one typo. An external engine implements the same port."""

    async def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """Best matches first. Never raises for odd input (quotes, operators, symbols)."""
        ...


class RateLimiter(Protocol):
    """Counts attempts per key in fixed windows (the accounts feature's limiter)."""

    async def hit(self, key: str, *, limit: int, window_s: int) -> int | None:
        """Count one attempt; None when within ``limit``, else seconds until it resets."""
        ...


__all__ = [
    "BookSearch",
    "CatalogueBook",
    "CatalogueFilter",
    "CatalogueQuery",
    "CatalogueRepository",
    "CatalogueSlice",
    "CommunityUnitOfWork",
    "CommunityUnitOfWorkFactory",
    "FavoriteRepository",
    "GenreRepository",
    "Like",
    "ProfileRepository",
    "RateLimiter",
    "ReviewRepository",
    "SearchHit",
    "SimilarityRepository",
    "Sort",
]
