"""Rating aggregates under real concurrency: 20 users reviewing one book at once leave
total_reviews = 20 and the exact average, on PostgreSQL (row lock) and on SQLite (the
write lock taken by the transaction's first statement)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from adapters.memory.clock import ManualClock
from adapters.memory.rate_limit import MemoryRateLimiter
from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
from adapters.system import Uuid4Generator
from application.community.reviews import (
    DeleteReview,
    EditReview,
    NewReview,
    PostReview,
    ReviewChange,
)
from domain.book import Book
from domain.user import User
from tests.support.databases import empty_engine, private_schema

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

T0 = datetime(2024, 5, 1, tzinfo=UTC)
REVIEWERS = 20


@pytest.fixture(scope="module")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    with private_schema(postgres_url, "reviews") as schema:
        yield schema


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
async def factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    postgres = request.param == "postgres"
    async with empty_engine(
        request.param,
        tmp_path=tmp_path,
        postgres_url=request.getfixturevalue("postgres_url") if postgres else None,
        schema=request.getfixturevalue("postgres_schema") if postgres else None,
        pool_max=REVIEWERS,
    ) as engine:
        yield SqlAlchemyUnitOfWorkFactory(engine)


async def _setup(factory: Any) -> tuple[Book, list[uuid.UUID]]:
    book = Book(uuid.uuid4(), "Dune", "Frank Herbert", "en", T0, T0)
    users = [uuid.uuid4() for _ in range(REVIEWERS)]
    async with factory() as uow:
        await uow.books.save(book)
        for user_id in users:
            await uow.users.add(User(user_id, f"{user_id.hex}@example.com", "h", T0))
        await uow.commit()
    return book, users


async def test_twenty_concurrent_reviewers_leave_an_exact_aggregate(factory: Any) -> None:
    book, users = await _setup(factory)
    clock = ManualClock(T0)
    post = PostReview(uow_factory=factory, clock=clock, ids=Uuid4Generator(),
                      limiter=MemoryRateLimiter(clock), per_hour=100)  # fmt: skip
    ratings = [1 + (i * 7) % 5 for i in range(REVIEWERS)]
    results = await asyncio.gather(
        *(post(NewReview(u, book.id, r)) for u, r in zip(users, ratings, strict=True))
    )
    assert len({r.review.id for r in results}) == REVIEWERS
    expected = (Decimal(sum(ratings)) / REVIEWERS).quantize(Decimal("0.01"))
    async with factory() as uow:
        (item,) = await uow.catalogue.get_many([book.id])
    assert (item.rating.total_reviews, item.rating.average_rating) == (REVIEWERS, expected)

    # Edits and deletes racing each other stay exact too.
    edit, delete = (
        EditReview(uow_factory=factory, clock=clock),
        DeleteReview(uow_factory=factory, clock=clock),
    )
    half = REVIEWERS // 2
    await asyncio.gather(
        *(edit(ReviewChange(r.review.user_id, r.review.id, rating=5)) for r in results[:half]),
        *(delete(r.review.user_id, r.review.id) for r in results[half:]),
    )
    async with factory() as uow:
        (item,) = await uow.catalogue.get_many([book.id])
    assert (item.rating.total_reviews, item.rating.average_rating) == (half, Decimal("5.00"))
