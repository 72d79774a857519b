"""Fixtures of the end-to-end suite: a fresh database, a Redis database, a running cluster.

The cluster (API + two workers) is shared by the module's tests and always torn down;
when a test fails, the tail of every process's log is printed with the failure.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from tests.e2e.cluster import Cluster, run_async

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

REDIS_DATABASES = range(15, 0, -1)
JWT_SECRET = "e2e-" + "x" * 40


@pytest.fixture(scope="module")
def e2e_database(postgres_url: str) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty PostgreSQL database, dropped afterwards."""
    import asyncpg

    name = f"bookbytes_e2e_{uuid.uuid4().hex[:10]}"
    admin_dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://", 1)

    async def execute(sql: str) -> None:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    run_async(execute(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        run_async(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def e2e_redis(redis_url: str) -> Iterator[str]:
    """The URL of an empty Redis database (the highest-numbered free one), flushed after."""
    import redis

    base = redis_url.rsplit("/", 1)[0] if redis_url.count("/") > 2 else redis_url
    for number in REDIS_DATABASES:
        url = f"{base}/{number}"
        with redis.Redis.from_url(url) as client:
            if client.dbsize() == 0:
                break
    else:
        pytest.skip("no empty Redis database for the e2e run")
    try:
        yield url
    finally:
        with redis.Redis.from_url(url) as client:
            client.flushdb()


@pytest.fixture(scope="module")
def cluster(
    e2e_database: str, e2e_redis: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    """The API and two SAQ workers on the fresh database and Redis, migrated first."""
    root: Path = tmp_path_factory.mktemp("e2e")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "BOOKBYTES_ENV_FILE": "none",  # a developer's .env must not reach the cluster
        "DATA_DIR": str(root / "data"),
        "DATABASE_URL": e2e_database,
        "QUEUE_URL": e2e_redis,
        "STORAGE_LOCAL_PATH": str(root / "audio"),
        "METADATA_PROVIDER": "memory",
        "LLM_PROVIDER": "memory",
        "TTS_PROVIDER": "memory",
        "JWT_SECRET_KEY": JWT_SECRET,
        "CHAPTER_CONCURRENCY": "1",
        "FAKE_LATENCY_MS": "1500",
        "SHUTDOWN_TIMEOUT_S": "1",
        "RATE_LIMIT_PER_MINUTE": "10000",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "info",
    }
    made = Cluster(env=env, database_url=e2e_database, redis_url=e2e_redis, log_dir=root)
    try:
        made.run("db", "upgrade")
        made.start_api()
        made.start_worker()
        made.start_worker()
        yield made
    finally:
        made.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Attach the processes' logs to a failed e2e test's report."""
    report = yield
    cluster = item.funcargs.get("cluster") if hasattr(item, "funcargs") else None
    if isinstance(cluster, Cluster) and getattr(report, "failed", False):
        report.sections.append(("bookbytes process logs", cluster.logs()))  # type: ignore[attr-defined]
    return report
