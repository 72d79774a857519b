"""100 users at once browsing, searching and reviewing a PostgreSQL catalogue through a real
`bookbytes serve` process; prints p50/p95 of reads and writes.

A new PostgreSQL database is migrated and filled with a generated catalogue (COPY), the
server is started on it (memory fakes for the outside world, one process), 100 users
register and log in (timed apart: argon2 is slow on purpose), then all browse at once, each
running ``--rounds`` rounds of: a catalogue page (page mode, by rating), the first and next
slice by cursor, a search, the popular list, personal picks (reads), a review and a
favourite (writes), pausing ``--think`` seconds on average (uniformly 0-2x) between two
requests as a person would (``--think 0`` hammers the server: latency is then the queue).
The client runs in this process on the same two cores as the server, so figures are
pessimistic. The database is dropped at the end.

Run: .venv/bin/python benchmarks/community_load.py [--books N] [--users N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from adapters.sqlalchemy import create_engine, migrate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import _admin, catalogue, fill

BOOKBYTES = str(Path(sys.executable).with_name("bookbytes"))
PASSWORD = "correct horse battery"  # noqa: S105 - a throw-away test account


def _p(values: list[float], q: float) -> float:
    return sorted(values)[max(0, int(len(values) * q) - 1)] if values else 0.0


async def login(client: httpx.AsyncClient, n: int, timings: dict[str, list[float]]) -> str:
    email = f"load{n}-{uuid.uuid4().hex[:6]}@example.com"
    start = time.perf_counter()
    await client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    answer = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    timings["register+login"].append((time.perf_counter() - start) * 1000)
    return str(answer.json()["access_token"])


async def user(
    client: httpx.AsyncClient, n: int, token: str, book_ids: list[str], words: list[str],
    rounds: int, think_s: float, timings: dict[str, list[float]],
) -> None:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(n)
    picks = rng.sample(book_ids, rounds * 2)

    async def timed(kind: str, method: str, url: str, **kw: Any) -> httpx.Response:
        await asyncio.sleep(rng.uniform(0, 2 * think_s))
        begun = time.perf_counter()
        response = await client.request(method, url, headers=headers, **kw)
        timings[kind].append((time.perf_counter() - begun) * 1000)
        if response.status_code >= 500:
            timings["5xx"].append(1)
        return response

    for r in range(rounds):
        page = await timed("read", "GET", f"/api/v1/books?page={rng.randint(1, 50)}&per_page=20"
                                          "&sort=rating")  # fmt: skip
        first = await timed("read", "GET", "/api/v1/books?per_page=20&cursor=")
        cursor = first.json()["pagination"]["next_cursor"]
        await timed("read", "GET", f"/api/v1/books?per_page=20&cursor={cursor}")
        await timed("read", "GET", f"/api/v1/books/search?q={rng.choice(words)[:5]}")
        await timed("read", "GET", "/api/v1/recommendations/popular")
        await timed("read", "GET", "/api/v1/recommendations/personal")
        await timed("write", "POST", f"/api/v1/books/{picks[2 * r]}/reviews",
                    json={"rating": rng.randint(1, 5), "text": "fine"})  # fmt: skip
        await timed("write", "POST", f"/api/v1/users/favorites/{picks[2 * r + 1]}")
        assert page.status_code == 200, page.text


async def drive(
    url: str, book_ids: list[str], words: list[str], users: int, rounds: int, think_s: float
) -> None:
    timings: dict[str, list[float]] = {"register+login": [], "read": [], "write": [], "5xx": []}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        tokens = await asyncio.gather(*(login(client, n, timings) for n in range(users)))
        start = time.perf_counter()
        await asyncio.gather(*(user(client, n, tokens[n], book_ids, words, rounds, think_s,
                                    timings) for n in range(users)))  # fmt: skip
        elapsed = time.perf_counter() - start
    for kind in ("register+login", "read", "write"):
        values = timings[kind]
        print(f"  {kind:15} n={len(values):5}  p50 {statistics.median(values):7.1f} ms  "
              f"p95 {_p(values, 0.95):7.1f} ms  max {max(values):7.1f} ms")  # fmt: skip
    requests = len(timings["read"]) + len(timings["write"])
    print(f"  {requests} requests in {elapsed:.1f} s ({requests / elapsed:.0f}/s); "
          f"server errors: {len(timings['5xx'])}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--books", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    args = parser.parse_args()
    server_url = os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    name = f"bookbytes_load_{uuid.uuid4().hex[:8]}"
    database = server_url.rsplit("/", 1)[0] + f"/{name}"
    _admin(server_url, f'CREATE DATABASE "{name}"')
    process = None
    try:
        migrate.upgrade(database)
        rows, words, _ = catalogue(args.books)

        async def seed() -> None:
            engine = create_engine(database, pool_min=1, pool_max=2)
            try:
                await fill(engine, rows)
            finally:
                await engine.dispose()

        asyncio.run(seed())
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ, "DATABASE_URL": database, "DATA_DIR": folder, "PORT": str(port),
                "METADATA_PROVIDER": "memory", "LLM_PROVIDER": "memory", "TTS_PROVIDER": "memory",
                "JWT_SECRET_KEY": "load-test-secret-" + "x" * 40, "LOG_LEVEL": "warning",
                "RATE_LIMIT_PER_MINUTE": "1000000", "REVIEWS_PER_HOUR": "1000000",
                "DB_POOL_MAX": "20", "BOOKBYTES_ENV_FILE": "none",
            }  # fmt: skip
            env.pop("QUEUE_URL", None)
            log = Path(folder) / "server.log"
            process = subprocess.Popen(
                [BOOKBYTES, "serve"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/health/live", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            print(f"PostgreSQL, {args.books} books, {args.users} users x {args.rounds} rounds, "
                  f"think {args.think} s:")  # fmt: skip
            ids = [str(r[0]) for r in rows]
            try:
                asyncio.run(drive(url, ids, words, args.users, args.rounds, args.think))
            except Exception:
                print(log.read_text()[-3000:])
                raise
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
