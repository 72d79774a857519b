"""/api/v1/books as the community sees it: the catalogue (filters, sorts, pages or
cursors, field selection), search, and a book's reviews."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from application.community.browse_catalogue import BrowseCatalogue, BrowseQuery
from application.community.list_reviews import GetBookRating, ListBookReviews
from application.community.ports import CatalogueFilter, Sort
from application.community.reviews import NewReview, PostReview
from application.community.search_books import SearchBooks
from domain.user import User
from entrypoints.http.community.schemas import (
    BookRatingView,
    BookView,
    Catalogue,
    Envelope,
    Pagination,
    ReviewCreate,
    ReviewView,
    ReviewWritten,
    books,
    paged,
    parse_fields,
)
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import errors
from entrypoints.http.params import MAX_OFFSET, NO_CONTROLS, Language, Text

Limit = Annotated[int | None, Parameter(ge=1, le=100, description="page size (same as per_page)")]
Offset = Annotated[
    int | None, Parameter(ge=0, le=MAX_OFFSET, description="items to skip (instead of page)")
]
PageNumber = Annotated[int | None, Parameter(ge=1, le=100_000, description="page, from 1")]
PerPage = Annotated[int | None, Parameter(ge=1, le=100, description="items per page (20)")]
Genre = Annotated[
    str | None,
    Parameter(max_length=40, pattern=r"^[a-z0-9-]*$", description="a genre id (GET /genres)"),
]
MinRating = Annotated[float | None, Parameter(ge=0, le=5, description="average rating at least")]
SortBy = Annotated[
    Literal["title", "newest", "rating", "popularity"],
    Parameter(description="title (A-Z), newest, rating (best average), popularity"),
]
Cursor = Annotated[
    str | None,
    Parameter(
        max_length=1000,
        description="cursor mode: empty for the first slice, then the `next_cursor` you got",
    ),
]
Fields = Annotated[
    str | None,
    Parameter(max_length=500, pattern=r"^[a-z_,]*$", description="e.g. id,title,author"),
]
Query = Annotated[
    str,
    Parameter(min_length=1, max_length=200, pattern=NO_CONTROLS, description="words, or an ISBN"),
]


class CatalogueController(Controller):
    """The catalogue, search and reviews of books. Every route needs authentication."""

    path = "/api/v1/books"
    tags = ["books", "community"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @get("/", operation_id="listBooks", responses=errors(400, 401, 404, 422),
         dependencies={"browse": use_case("community.browse_catalogue")})  # fmt: skip
    async def list_books(
        self,
        user: NamedDependency[User],
        browse: NamedDependency[BrowseCatalogue],
        limit: Limit = None,
        offset: Offset = None,
        page: PageNumber = None,
        per_page: PerPage = None,
        cursor: Cursor = None,
        sort: SortBy = "title",
        title: Text = None,
        author: Text = None,
        language: Language = None,
        genre: Genre = None,
        min_rating: MinRating = None,
        fields: Fields = None,
    ) -> Catalogue:
        """The catalogue, filtered and sorted. Page mode (``page``/``per_page``, or the
        older ``limit``/``offset``) answers total and pages; cursor mode (``cursor=`` then
        each ``next_cursor``) walks large sets without gaps or repeats as books are added.
        A cursor only works with the filters and sort it was made with (else 400)."""
        chosen = parse_fields(fields)
        size = per_page or limit or 20
        query = BrowseQuery(
            CatalogueFilter(title, author, language, genre, min_rating, viewer_id=user.id),
            Sort(sort),
            per_page=size,
            page=page or 1,
            offset=offset if page is None else None,
            cursor=cursor,
        )
        result = await browse(query)
        data = books(result.items, chosen)
        if cursor is not None:
            pagination = Pagination(
                per_page=size, next_cursor=result.next_cursor, has_more=result.has_more
            )
            return Catalogue(data=data, pagination=pagination)
        total = result.total or 0
        return Catalogue(
            data=data,
            pagination=Pagination(
                per_page=size, page=result.page or 1, total=total, pages=result.pages or 0
            ),
            message=f"{total} books",
            items=data,
            total=total,
            limit=size,
            offset=result.offset,
        )

    @get("/search", operation_id="searchBooks", responses=errors(400, 401, 422),
         dependencies={"search": use_case("community.search_books")})  # fmt: skip
    async def search(
        self,
        user: NamedDependency[User],
        search: NamedDependency[SearchBooks],
        q: Query,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
        fields: Fields = None,
    ) -> Envelope[list[BookView]]:
        """Books by title or author, best first: accents, case, unfinished words and one
        typo are forgiven; an ISBN finds its book first."""
        chosen = parse_fields(fields)
        found = await search(q, limit, viewer_id=user.id)
        return Envelope(data=books(found, chosen), message=f"{len(found)} found")

    @get("/{book_id:uuid}/reviews", operation_id="listBookReviews", responses=errors(401, 404),
         dependencies={"list_reviews": use_case("community.list_book_reviews")})  # fmt: skip
    async def list_reviews(
        self,
        list_reviews: NamedDependency[ListBookReviews],
        book_id: FromPath[UUID],
        page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> Envelope[list[ReviewView]]:
        """A book's reviews, newest first."""
        found = await list_reviews(book_id, page, per_page)
        data = [ReviewView.of(r) for r in found.items]
        return Envelope(data=data, pagination=paged(page, per_page, found.total))

    @get("/{book_id:uuid}/rating", operation_id="getBookRating", responses=errors(401, 404),
         dependencies={"get_rating": use_case("community.get_book_rating")})  # fmt: skip
    async def rating(
        self, get_rating: NamedDependency[GetBookRating], book_id: FromPath[UUID]
    ) -> Envelope[BookRatingView]:
        """A book's average rating (2 decimals) and number of reviews, as of now."""
        rating = await get_rating(book_id)
        body = BookRatingView(
            book_id=book_id,
            average_rating=float(rating.average_rating),
            total_reviews=rating.total_reviews,
        )
        return Envelope(data=body)

    @post("/{book_id:uuid}/reviews", operation_id="postReview", status_code=201,
          responses=errors(401, 404, 409, 422, 429),
          dependencies={"post_review": use_case("community.post_review")})  # fmt: skip
    async def post_review(
        self,
        user: NamedDependency[User],
        post_review: NamedDependency[PostReview],
        book_id: FromPath[UUID],
        data: JSONBody[ReviewCreate],
    ) -> Envelope[ReviewWritten]:
        """Rate (1-5) and review a book, once (409 names your existing review). HTML is
        stripped from the text. Limited to REVIEWS_PER_HOUR per user (429, Retry-After)."""
        result = await post_review(NewReview(user.id, book_id, data.rating, data.text))
        rating = result.rating
        body = ReviewWritten(
            review=ReviewView.of(result.review),
            book=BookRatingView(
                book_id=book_id,
                average_rating=float(rating.average_rating),
                total_reviews=rating.total_reviews,
            ),
        )
        return Envelope(data=body, message="review posted")
