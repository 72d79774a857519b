"""Top-level test configuration: probes for the external services some suites need.

`postgres_url` and `redis_url` hand a test the URL of a live server, or skip it when none
answers. With BOOKBYTES_REQUIRE_SERVICES=1 (set by CI) an unreachable server fails the test
instead, so CI proves those suites really ran. Tests that use either fixture get the `postgres`
or `redis` marker automatically, so `-m "not postgres and not redis"` deselects them.

TEST_POSTGRES_URL and TEST_REDIS_URL choose the servers (and the database the tests share);
TEST_POSTGRES_PREFIX the start of the database and schema names a run creates;
TEST_E2E_REDIS_DB the Redis database the end-to-end suite may flush. At the end of the
session, whatever of this run is still on either server is removed and reported as an error.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from tests.support.databases import sweep_run_objects
from tests.support.redis_db import sweep_run_keys
from tests.support.require import unavailable

pytest_plugins = ("tests.support.fixtures", "tests.support.s3")

# CI runs the property tests derandomized (the same examples every run, so a landing never
# hinges on luck) and without per-example deadlines (a loaded machine is not a failure).
settings.register_profile("ci", derandomize=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")

# A developer's .env (read by Settings.from_env and by every `bookbytes` the tests start) must
# not change what the tests see; tests of the .env file itself unset this.
os.environ["BOOKBYTES_ENV_FILE"] = "none"

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator
    from typing import Any

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
PROBE_TIMEOUT_S = 3.0


def _run_isolated(probe: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run an async probe on its own loop in a thread, whatever loop pytest-asyncio has."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, probe()).result(timeout=PROBE_TIMEOUT_S * 3)


def _check(what: str, url: str, probe: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run `probe`; skip (or, when services are required, fail) if it raises."""
    try:
        _run_isolated(probe)
    except Exception as error:
        failure: Exception | None = error
    else:
        failure = None
    if failure is not None:
        unavailable(f"{what} not reachable at {url}: {type(failure).__name__}: {failure}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL (postgresql+asyncpg://) of a reachable PostgreSQL test database."""
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL

    async def probe() -> None:
        import asyncpg

        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        connection = await asyncpg.connect(dsn, timeout=PROBE_TIMEOUT_S)
        try:
            await connection.execute("SELECT 1")
        finally:
            await connection.close()

    _check("PostgreSQL", url, probe)
    yield url
    left = sweep_run_objects(url)
    assert not left, f"tests left PostgreSQL databases or schemas behind (dropped now): {left}"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """URL (redis://) of a reachable Redis server; keys written there must contain RUN_ID."""
    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL

    async def probe() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(
            url, socket_timeout=PROBE_TIMEOUT_S, socket_connect_timeout=PROBE_TIMEOUT_S
        )
        try:
            await client.ping()
        finally:
            await client.aclose()

    _check("Redis", url, probe)
    yield url
    left = sweep_run_keys(url)
    assert not left, f"tests left Redis keys behind in {url} (deleted now): {left}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that need a server, so they can be selected or deselected with -m."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "postgres_url" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in fixtures:
            item.add_marker(pytest.mark.redis)
