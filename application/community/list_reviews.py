"""ListBookReviews and ListUserReviews: live reviews, newest first, page by page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import BookNotFound, ReviewNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import CommunityUnitOfWorkFactory
    from domain.community import BookRating, Review


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of reviews and how many there are in all."""

    items: list[Review]
    total: int
    page: int
    per_page: int


class ListBookReviews:
    """A book's reviews. Raises BookNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID, page: int = 1, per_page: int = 20) -> ReviewPage:
        async with self._uow() as uow:
            if not await uow.catalogue.get_many([book_id]):
                raise BookNotFound(f"no book {book_id}")
            items, total = await uow.reviews.list_for_book(book_id, per_page, (page - 1) * per_page)
        return ReviewPage(items, total, page, per_page)


class ListUserReviews:
    """The caller's own reviews."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, user_id: UUID, page: int = 1, per_page: int = 20) -> ReviewPage:
        async with self._uow() as uow:
            items, total = await uow.reviews.list_for_user(user_id, per_page, (page - 1) * per_page)
        return ReviewPage(items, total, page, per_page)


class GetReview:
    """One live review. Raises ReviewNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, review_id: UUID) -> Review:
        async with self._uow() as uow:
            review = await uow.reviews.get(review_id)
        if review is None or review.is_deleted:
            raise ReviewNotFound(f"no review {review_id}")
        return review


class GetBookRating:
    """A book's rating aggregate, as of now. Raises BookNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID) -> BookRating:
        async with self._uow() as uow:
            found = await uow.catalogue.get_many([book_id])
        if not found:
            raise BookNotFound(f"no book {book_id}")
        return found[0].rating
