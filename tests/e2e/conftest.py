"""Fixtures of the end-to-end suite: a fresh database, a Redis database, a running cluster.

The PostgreSQL database and the Redis database are the suite's own (see tests/support), so
runs sharing the servers never meet; neither is ever skipped under BOOKBYTES_REQUIRE_SERVICES.

The cluster (API + two workers) is shared by the module's tests and always torn down;
when a test fails, the tail of every process's log is printed with the failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.cluster import Cluster
from tests.support.databases import fresh_database
from tests.support.redis_db import claimed_database

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

JWT_SECRET = "e2e-" + "x" * 40


@pytest.fixture(scope="module")
def e2e_database(postgres_url: str) -> Iterator[str]:
    """The SQLAlchemy URL of a new, empty PostgreSQL database, dropped afterwards."""
    with fresh_database(postgres_url, "e2e") as url:
        yield url


@pytest.fixture(scope="module")
def e2e_redis(redis_url: str) -> Iterator[str]:
    """The URL of a Redis database claimed for this module (TEST_E2E_REDIS_DB or a free one)."""
    with claimed_database(redis_url) as url:
        yield url


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
        "JOBS_PER_MINUTE": "1000",
        "LLM_PROVIDER": "memory",
        "TTS_PROVIDER": "memory",
        "TTS_FALLBACK": "espeak",  # offered too: an upload's narration may ask for it
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
