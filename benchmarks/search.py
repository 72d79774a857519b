"""Search latency on a generated 100,000-book catalogue, PostgreSQL and SQLite.

The catalogue is made up (seeded): titles of 2-6 words from a 4,000-word vocabulary (some
accented), authors from 300 x 300 names. The PostgreSQL database is new, migrated to head
(so the GIN indexes exist), filled with COPY, analysed, searched, then dropped. Queries:
whole words, prefixes, one-typo words, accent-stripped words, two words, author names; each
timed through the BookSearch adapter, one at a time.

Run: .venv/bin/python benchmarks/search.py [--books N] [--queries N] [--sqlite]
Needs PostgreSQL (TEST_POSTGRES_URL, default postgresql+asyncpg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from adapters.sqlalchemy import create_engine, migrate
from adapters.sqlalchemy.search import make_book_search
from domain.community import fold

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "be",
    "to",
    "su",
    "ne",
    "vi",
    "da",
    "pa",
    "ro",
    "ze",
    "li",
    "mo",
    "ta",
    "fe",
    "gu",
    "ha",
    "ni",
    "se",
    "qua",
    "dor",
    "lin",
    "mar",
]
ACCENTED = ["misérables", "émile", "château", "façade", "naïve", "señor", "über", "crème"]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words: set[str] = set(ACCENTED)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def catalogue(n: int, seed: int = 11) -> tuple[list[tuple[Any, ...]], list[str], list[str]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    firsts = [w.capitalize() for w in rng.sample(words, 300)]
    lasts = [w.capitalize() for w in rng.sample(words, 300)]
    t0 = datetime(2020, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 6))).capitalize()
        author = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        at = t0 + timedelta(minutes=i)
        rows.append((uuid.UUID(int=rng.getrandbits(128)), title, author, "en", at, at))
    return rows, words, lasts


def queries(rng: random.Random, words: list[str], lasts: list[str], n: int) -> dict[str, list[str]]:
    long = [w for w in words if len(w) >= 6]

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :]

    return {
        "word": [rng.choice(words) for _ in range(n)],
        "prefix": [rng.choice(long)[:4] for _ in range(n)],
        "typo": [typo(rng.choice(long)) for _ in range(n)],
        "accents": [fold(rng.choice(ACCENTED)) for _ in range(n)],
        "two words": [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(n)],
        "author": [rng.choice(lasts) for _ in range(n)],
    }


async def fill(engine: Any, rows: list[tuple[Any, ...]]) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            await raw.driver_connection.copy_records_to_table(
                "books", records=rows,
                columns=["id", "title", "author", "language", "created_at", "updated_at"],
            )  # fmt: skip
            await connection.commit()
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(sa.text("VACUUM ANALYZE books"))
        return
    async with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            await connection.execute(
                sa.text("INSERT INTO books (id, title, author, language, created_at, "
                        "updated_at) VALUES (:id, :title, :author, 'en', :at, :at)"),
                [{"id": r[0].hex, "title": r[1], "author": r[2],
                  "at": r[4].replace(tzinfo=None)} for r in rows[start : start + 5000]],
            )  # fmt: skip


async def measure(engine: Any, suites: dict[str, list[str]]) -> None:
    search = make_book_search(engine)
    await search.search("warm up", limit=20)
    every: list[float] = []
    for name, texts in suites.items():
        times, found = [], 0
        for text in texts:
            start = time.perf_counter()
            hits = await search.search(text, limit=20)
            times.append((time.perf_counter() - start) * 1000)
            found += bool(hits)
        every += times
        print(f"  {name:10} p50 {statistics.median(times):7.1f} ms  p95 "
              f"{_p95(times):7.1f} ms  found something {found}/{len(texts)}")  # fmt: skip
    print(f"  {'all':10} p50 {statistics.median(every):7.1f} ms  p95 {_p95(every):7.1f} ms")


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _admin(url: str, statement: str) -> None:
    async def run() -> None:
        engine = create_engine(url, pool_min=1, pool_max=1)
        try:
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(sa.text(statement))
        finally:
            await engine.dispose()

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--books", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--sqlite", action="store_true", help="also measure SQLite FTS5")
    args = parser.parse_args()
    rows, words, lasts = catalogue(args.books)
    suites = queries(random.Random(5), words, lasts, args.queries)
    server = os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    name = f"bookbytes_bench_{uuid.uuid4().hex[:8]}"
    url = server.rsplit("/", 1)[0] + f"/{name}"
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        migrate.upgrade(url)

        async def run_postgres() -> None:
            engine = create_engine(url, pool_min=1, pool_max=2)
            try:
                start = time.perf_counter()
                await fill(engine, rows)
                print(f"PostgreSQL: {len(rows)} books loaded and indexed in "
                      f"{time.perf_counter() - start:.1f} s")  # fmt: skip
                await measure(engine, suites)
            finally:
                await engine.dispose()

        asyncio.run(run_postgres())
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            sqlite_url = f"sqlite+aiosqlite:///{folder}/bench.db"
            migrate.upgrade(sqlite_url)

            async def run_sqlite() -> None:
                engine = create_engine(sqlite_url, pool_min=1, pool_max=2)
                try:
                    start = time.perf_counter()
                    await fill(engine, rows)
                    print(f"SQLite: {len(rows)} books loaded and indexed in "
                          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
                    await measure(engine, suites)
                finally:
                    await engine.dispose()

            asyncio.run(run_sqlite())


if __name__ == "__main__":
    main()
