"""A login storm against a real `bookbytes serve`: 100 users log in at once while another
client polls /health/live.

Prints p50/p95/max of the logins and of the health checks, with argon2 hashing bounded to
one per core (HASH_CONCURRENCY=0, the default) and unbounded (HASH_CONCURRENCY=100).

Run: .venv/bin/python benchmarks/login_storm.py
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

USERS = 100
SECRET = "correct horse battery"  # noqa: S105 - a benchmark account's password
BOOKBYTES = str(Path(sys.executable).with_name("bookbytes"))


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def serve(concurrency: int, data: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "PORT": str(port),
        "METADATA_PROVIDER": "memory",
        "LLM_PROVIDER": "memory",
        "TTS_PROVIDER": "memory",
        "RATE_LIMIT_PER_MINUTE": "100000",
        "HASH_CONCURRENCY": str(concurrency),
        "LOG_LEVEL": "warning",
        "BOOKBYTES_ENV_FILE": "none",
    }
    server = subprocess.Popen([BOOKBYTES, "serve"], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{url}/health/live").status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


async def storm(url: str) -> tuple[list[float], list[float]]:
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        for n in range(USERS):
            await client.post(
                "/api/v1/auth/register", json={"email": f"u{n}@example.com", "password": SECRET}
            )
        logins: list[float] = []
        health: list[float] = []
        done = asyncio.Event()

        async def login(n: int) -> None:
            started = time.perf_counter()
            response = await client.post(
                "/api/v1/auth/login", json={"email": f"u{n}@example.com", "password": SECRET}
            )
            assert response.status_code == 200, response.text
            logins.append(time.perf_counter() - started)

        async def poll() -> None:
            while not done.is_set():
                started = time.perf_counter()
                await client.get("/health/live")
                health.append(time.perf_counter() - started)
                await asyncio.sleep(0.05)

        poller = asyncio.create_task(poll())
        await asyncio.gather(*(login(n) for n in range(USERS)))
        done.set()
        await poller
    return logins, health


def main() -> None:
    for label, concurrency in (("bounded to one per core", 0), ("unbounded", 100)):
        with tempfile.TemporaryDirectory() as data:
            server, url = serve(concurrency, Path(data))
            try:
                logins, health = asyncio.run(storm(url))
            finally:
                server.terminate()
                server.wait()
        print(
            f"argon2 {label}: {USERS} logins at once: p50 {pct(logins, 50):.1f} s, "
            f"p95 {pct(logins, 95):.1f} s, max {max(logins):.1f} s; /health/live meanwhile: "
            f"p50 {pct(health, 50) * 1000:.0f} ms, p95 {pct(health, 95) * 1000:.0f} ms "
            f"({len(health)} checks)"
        )


if __name__ == "__main__":
    main()
