"""Recommendations: popular (confidence-aware), by genre, and personal.

``personal`` scores books by their precomputed similarity to what the user likes, leaves
out what the user already has, and tops the list up from the user's genres and then from
the popular list, so it is never empty while the catalogue has books the user lacks.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from application.community.ports import CatalogueFilter, CatalogueQuery, Sort
from domain.community import GENRES_BY_ID
from domain.errors import GenreNotFound

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from application.community.ports import (
        CatalogueBook,
        CommunityUnitOfWork,
        CommunityUnitOfWorkFactory,
        Like,
    )


async def _ranked(
    uow: CommunityUnitOfWork,
    limit: int,
    genre: str | None = None,
    exclude: frozenset[UUID] = frozenset(),
) -> list[CatalogueBook]:
    filters = CatalogueFilter(genre=genre, exclude=exclude)
    found = await uow.catalogue.list(CatalogueQuery(filters, Sort.SCORE, limit, count_total=False))
    return list(found.items)


def rank_by_neighbours(
    likes: Sequence[Like],
    owned: set[UUID],
    neighbours: dict[UUID, list[tuple[UUID, float]]],
) -> list[UUID]:
    """Books not in ``owned``, by the summed similarity to the liked ones (weighted)."""
    scores: defaultdict[UUID, float] = defaultdict(float)
    for like in likes:
        for other, similarity in neighbours.get(like.book_id, []):
            if other not in owned:
                scores[other] += like.weight * similarity
    return sorted(scores, key=lambda book_id: (-scores[book_id], str(book_id)))


class RecommendPopular:
    """The catalogue by Bayesian average rating (few ratings pull towards the prior)."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, limit: int = 10) -> list[CatalogueBook]:
        async with self._uow() as uow:
            return await _ranked(uow, limit)


class RecommendGenre:
    """The popular list within one genre. Raises GenreNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, genre_id: str, limit: int = 10) -> list[CatalogueBook]:
        if genre_id not in GENRES_BY_ID:
            raise GenreNotFound(f"no genre {genre_id!r}; see GET /api/v1/genres")
        async with self._uow() as uow:
            return await _ranked(uow, limit, genre_id)


class RecommendPersonal:
    """Books like the ones the user likes, minus the ones the user has."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, user_id: UUID, limit: int = 10) -> list[CatalogueBook]:
        async with self._uow() as uow:
            likes, owned = await uow.similarities.user_books(user_id)
            neighbours = await uow.similarities.neighbours([like.book_id for like in likes])
            best = rank_by_neighbours(likes, owned, neighbours)
            chosen = [
                book
                for book in await uow.catalogue.get_many(best[: limit * 2])
                if book.book.visible_to(user_id)
            ][:limit]
            taken = owned | {book.book.id for book in chosen}
            if len(chosen) < limit:
                liked = await uow.catalogue.get_many([like.book_id for like in likes])
                genre_votes: defaultdict[str, int] = defaultdict(int)
                for book in liked:
                    for genre in book.genres:
                        genre_votes[genre] += 1
                for genre in sorted(genre_votes, key=lambda g: -genre_votes[g])[:3]:
                    for book in await _ranked(uow, limit, genre, frozenset(taken)):
                        if len(chosen) < limit and book.book.id not in taken:
                            chosen.append(book)
                            taken.add(book.book.id)
            if len(chosen) < limit:
                for book in await _ranked(uow, limit, exclude=frozenset(taken)):
                    if len(chosen) < limit:
                        chosen.append(book)
            return chosen
