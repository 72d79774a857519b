"""Writing reviews: post, edit, delete (soft) and flag, keeping the book's rating exact.

Every write locks the book's rating row first, writes, and recomputes the aggregate in the
same transaction, so concurrent reviewers never lose an update.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from domain.community import Review, ReviewFlag, check_rating, clean_review_text, strip_html
from domain.errors import (
    BookNotFound,
    NotReviewAuthor,
    RateLimited,
    ReviewExists,
    ReviewNotFound,
)

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import (
        CommunityUnitOfWork,
        CommunityUnitOfWorkFactory,
        RateLimiter,
    )
    from application.shared.ports import Clock, IdGenerator
    from domain.community import BookRating

RATE_WINDOW_S = 3600


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The review as written and the book's rating after the write."""

    review: Review
    rating: BookRating


@dataclass(frozen=True, slots=True)
class NewReview:
    user_id: UUID
    book_id: UUID
    rating: int
    text: str = ""


class PostReview:
    """Review a book once. Raises BookNotFound, ValidationFailed, ReviewExists (details:
    the existing review's id), RateLimited (over ``per_hour`` reviews in an hour)."""

    def __init__(
        self,
        *,
        uow_factory: CommunityUnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        limiter: RateLimiter,
        per_hour: int,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._limiter = limiter
        self._per_hour = per_hour

    async def __call__(self, command: NewReview) -> ReviewResult:
        rating, text = check_rating(command.rating), clean_review_text(command.text)
        retry = await self._limiter.hit(
            f"review:{command.user_id}", limit=self._per_hour, window_s=RATE_WINDOW_S
        )
        if retry is not None:
            raise RateLimited(f"too many reviews; try again in {retry} s", retry_after_s=retry)
        async with self._uow() as uow:
            await uow.reviews.lock_book(command.book_id)
            if not await uow.catalogue.get_many([command.book_id]):
                raise BookNotFound(f"no book {command.book_id}")
            existing = await uow.reviews.find_live(command.user_id, command.book_id)
            if existing is not None:
                raise _exists(existing.id)
            now = self._clock.now()
            review = Review(
                self._ids.new_id(), command.user_id, command.book_id, rating, text, now, now
            )
            await uow.reviews.add(review)
            result = ReviewResult(review, await uow.reviews.refresh_rating(command.book_id))
            await uow.commit()
            return result


def _exists(review_id: UUID) -> ReviewExists:
    return ReviewExists(
        f"you already reviewed this book: review {review_id}",
        details={"review_id": str(review_id)},
    )


@dataclass(frozen=True, slots=True)
class ReviewChange:
    user_id: UUID
    review_id: UUID
    rating: int | None = None
    text: str | None = None


async def _own_review(uow: CommunityUnitOfWork, user_id: UUID, review_id: UUID) -> Review:
    review = await uow.reviews.get(review_id)
    if review is None or review.is_deleted:
        raise ReviewNotFound(f"no review {review_id}")
    if review.user_id != user_id:
        raise NotReviewAuthor("only the author may change or delete a review")
    return review


class EditReview:
    """Change one's own review. Raises ReviewNotFound, NotReviewAuthor, ValidationFailed."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    async def __call__(self, change: ReviewChange) -> ReviewResult:
        rating = None if change.rating is None else check_rating(change.rating)
        text = None if change.text is None else clean_review_text(change.text)
        async with self._uow() as uow:
            found = await uow.reviews.get(change.review_id)
            if found is None:
                raise ReviewNotFound(f"no review {change.review_id}")
            await uow.reviews.lock_book(found.book_id)
            review = await _own_review(uow, change.user_id, change.review_id)
            review = replace(
                review,
                rating=review.rating if rating is None else rating,
                text=review.text if text is None else text,
                updated_at=self._clock.now(),
            )
            await uow.reviews.save(review)
            result = ReviewResult(review, await uow.reviews.refresh_rating(review.book_id))
            await uow.commit()
            return result


class DeleteReview:
    """Soft-delete one's own review. Raises ReviewNotFound, NotReviewAuthor."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    async def __call__(self, user_id: UUID, review_id: UUID) -> BookRating:
        async with self._uow() as uow:
            found = await uow.reviews.get(review_id)
            if found is None:
                raise ReviewNotFound(f"no review {review_id}")
            await uow.reviews.lock_book(found.book_id)
            review = await _own_review(uow, user_id, review_id)
            now = self._clock.now()
            await uow.reviews.save(replace(review, deleted_at=now, updated_at=now))
            rating = await uow.reviews.refresh_rating(review.book_id)
            await uow.commit()
            return rating


class FlagReview:
    """Report a review for moderation (once per user). Raises ReviewNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    async def __call__(self, user_id: UUID, review_id: UUID, reason: str) -> Review:
        reason = " ".join(strip_html(reason).split())[:500]
        async with self._uow() as uow:
            found = await uow.reviews.get(review_id)
            if found is None or found.is_deleted:
                raise ReviewNotFound(f"no review {review_id}")
            await uow.reviews.lock_book(found.book_id)  # flags counted one writer at a time
            review = await uow.reviews.get(review_id) or found
            if await uow.reviews.add_flag(
                ReviewFlag(review_id, user_id, reason, self._clock.now())
            ):
                review = replace(review, flags=review.flags + 1)
                await uow.reviews.save(review)
            await uow.commit()
            return review
