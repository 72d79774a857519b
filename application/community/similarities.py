"""ComputeSimilarities: item-to-item cosine similarity over likes, for personal picks.

Run in the background (a job or a cron); it also recomputes every book's rating aggregate,
repairing any drift.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import CommunityUnitOfWorkFactory, Like

NEIGHBOURS = 50


def item_similarities(
    likes: list[Like], neighbours: int = NEIGHBOURS, shrink: float = 2.0
) -> dict[UUID, list[tuple[UUID, float]]]:
    """For each book, the ``neighbours`` books most often liked by the same people:
    cosine over the users' weighted likes, shrunk by co-likes / (co-likes + shrink)."""
    by_user: defaultdict[UUID, dict[UUID, float]] = defaultdict(dict)
    for like in likes:
        by_user[like.user_id][like.book_id] = max(
            like.weight, by_user[like.user_id].get(like.book_id, 0.0)
        )
    norms: defaultdict[UUID, float] = defaultdict(float)
    dots: defaultdict[UUID, defaultdict[UUID, float]] = defaultdict(lambda: defaultdict(float))
    counts: defaultdict[tuple[UUID, UUID], int] = defaultdict(int)
    for books in by_user.values():
        items = list(books.items())
        for book, weight in items:
            norms[book] += weight * weight
        for book, weight in items:
            for other, other_weight in items:
                if other != book:
                    dots[book][other] += weight * other_weight
                    counts[(book, other)] += 1
    result: dict[UUID, list[tuple[UUID, float]]] = {}
    for book, row in dots.items():
        scored = [
            (other, dot / math.sqrt(norms[book] * norms[other])
             * counts[(book, other)] / (counts[(book, other)] + shrink))
            for other, dot in row.items()
        ]  # fmt: skip
        scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
        result[book] = scored[:neighbours]
    return result


class ComputeSimilarities:
    """Recompute the neighbour lists and every rating aggregate; returns how many books
    have neighbours."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self) -> int:
        async with self._uow() as uow:
            likes = await uow.similarities.likes()
        table = item_similarities(likes)
        async with self._uow() as uow:
            await uow.similarities.replace_all(table)
            await uow.reviews.refresh_all()
            await uow.commit()
        return len(table)
