"""/health/ready flips to 503 naming what is down when PostgreSQL or Redis goes away, and back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient

from adapters.sqlalchemy import migrate
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.support.databases import fresh_database
from tests.support.tcp_proxy import TcpProxy

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def ready_database(postgres_url: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database; dropped afterwards."""
    with fresh_database(postgres_url, "ready") as url:
        migrate.upgrade(url)
        yield url


def via(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    return url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}", 1)


async def ready(client: AsyncTestClient[Any]) -> tuple[int, dict[str, Any]]:
    response = await client.get("/health/ready")
    return response.status_code, response.json()


async def test_readiness_follows_the_database_and_redis(
    ready_database: str, redis_url: str, tmp_path: Path
) -> None:
    db_target = urlsplit(ready_database)
    redis_target = urlsplit(redis_url)
    db_proxy = TcpProxy(db_target.hostname or "127.0.0.1", db_target.port or 5432)
    redis_proxy = TcpProxy(redis_target.hostname or "127.0.0.1", redis_target.port or 6379)
    db_proxy.start()
    redis_proxy.start()
    settings = Settings(
        database_url=via(ready_database, db_proxy),
        queue_url=via(redis_url, redis_proxy),
        jwt_secret_key="r" * 48,
        data_dir=tmp_path,
        http_timeout_s=2.0,
        metadata_provider="memory",
        llm_provider="memory",
        tts_provider="memory",
    )
    try:
        async with AsyncTestClient(app=create_app(build_container(settings))) as client:
            first = await ready(client)
            assert first == (200, {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}), (
                first
            )

            db_proxy.stop()
            status, body = await ready(client)
            assert status == 503
            assert body["error"]["code"] == "not_ready"
            assert "database" in body["error"]["message"]
            assert body["error"]["details"]["queue"] == "ok"
            assert (await client.get("/health/live")).status_code == 200

            db_proxy.start()
            assert (await ready(client))[0] == 200

            redis_proxy.stop()
            status, body = await ready(client)
            assert status == 503
            assert "queue" in body["error"]["message"]
            assert body["error"]["details"]["database"] == "ok"

            redis_proxy.start()
            assert (await ready(client))[0] == 200
    finally:
        db_proxy.stop()
        redis_proxy.stop()
