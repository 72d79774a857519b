"""Bodies of the community routes, in the PRD envelope ``{success, data, message,
pagination}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from domain.community import MAX_RATING, MIN_RATING
from domain.errors import UnknownField
from entrypoints.http.schemas import BookId, Moment, Schema, UserId, ex

if TYPE_CHECKING:
    from collections.abc import Iterable

    from application.community.genres import GenreCount
    from application.community.ports import CatalogueBook
    from domain.community import Profile, Review

T = TypeVar("T")
ReviewId = Annotated[UUID, ex("0b8c1f3e-8a43-4d8e-9a8f-52a1f39a7c11")]


class Pagination(Schema):
    """Page mode: page, per_page, total, pages. Cursor mode: per_page, next_cursor, has_more."""

    per_page: Annotated[int, ex(20)]
    page: int | UnsetType = UNSET
    total: int | UnsetType = UNSET
    pages: int | UnsetType = UNSET
    next_cursor: str | UnsetType | None = UNSET
    has_more: bool | UnsetType = UNSET


class Envelope(Schema, Generic[T]):
    """The PRD's success envelope."""

    data: T
    success: bool = True
    message: str = ""
    pagination: Pagination | None = None


def paged(page: int, per_page: int, total: int) -> Pagination:
    return Pagination(per_page=per_page, page=page, total=total, pages=-(-total // per_page))


# --- profiles ---------------------------------------------------------------------------

Name = Annotated[str, msgspec.Meta(max_length=200, examples=["Ada"])]


class ProfileUpdate(Schema):
    """New names (a field left out keeps its value)."""

    first_name: Name | None = None
    last_name: Name | None = None


class ProfileView(Schema):
    user_id: UserId
    first_name: str
    last_name: str
    updated_at: Moment | None

    @classmethod
    def of(cls, p: Profile) -> ProfileView:
        return cls(
            user_id=p.user_id,
            first_name=p.first_name,
            last_name=p.last_name,
            updated_at=p.updated_at,
        )


# --- genres -----------------------------------------------------------------------------


class GenreView(Schema):
    id: Annotated[str, ex("fantasy")]
    name: Annotated[str, ex("Fantasy")]
    books: Annotated[int, ex(12)]

    @classmethod
    def of(cls, g: GenreCount) -> GenreView:
        return cls(id=g.genre.id, name=g.genre.name, books=g.books)


# --- books ------------------------------------------------------------------------------


class BookView(Schema):
    """A catalogue book with its rating; ``fields=`` keeps only the named fields."""

    id: BookId | UnsetType = UNSET
    title: str | UnsetType = UNSET
    author: str | UnsetType = UNSET
    language: str | UnsetType = UNSET
    isbns: list[str] | UnsetType = UNSET
    edition: str | UnsetType | None = UNSET
    publisher: str | UnsetType | None = UNSET
    pages: int | UnsetType | None = UNSET
    publish_date: date | UnsetType | None = UNSET
    cover_url: str | UnsetType | None = UNSET
    created_at: datetime | UnsetType = UNSET
    updated_at: datetime | UnsetType = UNSET
    average_rating: Annotated[float, ex(4.62)] | UnsetType = UNSET
    total_reviews: Annotated[int, ex(13)] | UnsetType = UNSET
    favorites: int | UnsetType = UNSET
    genres: list[str] | UnsetType = UNSET

    @classmethod
    def of(cls, item: CatalogueBook, fields: frozenset[str] | None = None) -> BookView:
        b = item.book
        values: dict[str, Any] = {
            "id": b.id, "title": b.title, "author": b.author, "language": b.language,
            "isbns": list(b.isbns), "edition": b.edition, "publisher": b.publisher,
            "pages": b.pages, "publish_date": b.publish_date, "cover_url": b.cover_url,
            "created_at": b.created_at, "updated_at": b.updated_at,
            "average_rating": float(item.rating.average_rating),
            "total_reviews": item.rating.total_reviews, "favorites": item.favorites,
            "genres": list(item.genres),
        }  # fmt: skip
        if fields is not None:
            values = {k: v for k, v in values.items() if k in fields}
        return cls(**values)


BOOK_FIELDS = frozenset(BookView.__struct_fields__)


def parse_fields(text: str | None) -> frozenset[str] | None:
    """``fields=id,title`` as a set. Raises UnknownField (400) for a field books lack."""
    if text is None or not text.strip():
        return None
    wanted = frozenset(f.strip() for f in text.split(",") if f.strip())
    unknown = sorted(wanted - BOOK_FIELDS)
    if unknown:
        raise UnknownField(
            f"unknown field(s): {', '.join(unknown)}",
            details={"unknown": unknown, "allowed": sorted(BOOK_FIELDS)},
        )
    return wanted


def books(items: Iterable[CatalogueBook], fields: frozenset[str] | None = None) -> list[BookView]:
    return [BookView.of(item, fields) for item in items]


class Catalogue(Schema):
    """The PRD envelope, plus the keys earlier clients read (``items``, ``total``,
    ``limit``, ``offset``) in page mode."""

    data: list[BookView]
    pagination: Pagination
    success: bool = True
    message: str = ""
    items: list[BookView] | UnsetType = UNSET
    total: int | UnsetType = UNSET
    limit: int | UnsetType = UNSET
    offset: int | UnsetType = UNSET


# --- reviews ----------------------------------------------------------------------------

Rating = Annotated[int, msgspec.Meta(ge=MIN_RATING, le=MAX_RATING, examples=[5])]
ReviewText = Annotated[
    str, msgspec.Meta(max_length=20_000, description="HTML is stripped; at most 5000 characters")
]


class ReviewCreate(Schema):
    rating: Rating
    text: ReviewText = ""


class ReviewUpdate(Schema):
    rating: Rating | None = None
    text: ReviewText | None = None


class FlagRequest(Schema):
    reason: Annotated[str, msgspec.Meta(max_length=500, examples=["spoilers"])] = ""


class ReviewView(Schema):
    id: ReviewId
    book_id: BookId
    user_id: UserId
    rating: int
    text: str
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, r: Review) -> ReviewView:
        return cls(
            id=r.id,
            book_id=r.book_id,
            user_id=r.user_id,
            rating=r.rating,
            text=r.text,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


class BookRatingView(Schema):
    book_id: BookId
    average_rating: Annotated[float, ex(4.5)]
    total_reviews: Annotated[int, ex(2)]


class ReviewWritten(Schema):
    """A review as written, and the book's rating right after."""

    review: ReviewView
    book: BookRatingView
