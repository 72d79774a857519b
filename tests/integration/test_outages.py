"""PostgreSQL and Redis outages: clients get 503 upstream_unavailable fast, and a job
running through a short database outage finishes without spending an attempt."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient

from adapters.memory.security import FakePasswordHasher
from adapters.sqlalchemy import migrate
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.integration.http.conftest import register_and_login, wait_for_job
from tests.support.databases import fresh_database
from tests.support.tcp_proxy import TcpProxy

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

FAST_S = 5.0  # an outage must be answered within this, not after a 30 s hang


@pytest.fixture
def database(postgres_url: str) -> Iterator[str]:
    with fresh_database(postgres_url, "outage") as url:
        migrate.upgrade(url)
        yield url


def proxy_for(url: str) -> tuple[TcpProxy, str]:
    target = urlsplit(url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    proxy.start()
    via = url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}", 1)
    return proxy, via


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(
        jwt_secret_key="o" * 48,
        data_dir=tmp_path,
        storage_local_path=tmp_path / "audio",
        metadata_provider="memory",
        llm_provider="memory",
        tts_provider="memory",
        db_connect_timeout_s=1.0,
        **values,
    )


async def test_a_database_outage_is_a_fast_503_and_a_running_job_spends_no_attempt(
    database: str, tmp_path: Path
) -> None:
    proxy, via = proxy_for(database)
    container = build_container(
        settings(
            tmp_path,
            database_url=via,
            fake_latency_ms=400,
            chapter_concurrency=1,
            job_retry_delay_s=0.2,
        )
    )
    container.accounts.hasher.override(FakePasswordHasher())  # type: ignore[arg-type]
    try:
        async with AsyncTestClient(app=create_app(container)) as client:
            auth = await register_and_login(client)
            response = await client.post(
                "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
            )
            job_id = response.json()["job_id"]
            await asyncio.sleep(0.6)  # the job is summarising its first chapters
            proxy.stop()
            try:
                started = time.monotonic()
                down = await client.get("/api/v1/books", headers=auth)
                elapsed = time.monotonic() - started
                assert down.status_code == 503, down.text
                assert down.json()["error"]["code"] == "upstream_unavailable"
                assert elapsed < FAST_S
                await asyncio.sleep(3.0)  # the outage lasts a few seconds
            finally:
                proxy.start()
            job = await wait_for_job(client, auth, job_id, timeout_s=60)
    finally:
        proxy.stop()
    assert job["status"] == "completed", job
    assert job["attempts"] == 1  # the outage cost no attempt


async def test_a_redis_outage_makes_login_a_fast_503(redis_url: str, tmp_path: Path) -> None:
    target = urlsplit(redis_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379)
    proxy.start()
    via = redis_url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}", 1)
    container = build_container(
        settings(tmp_path, queue_url=via, database_url=f"sqlite+aiosqlite:///{tmp_path}/b.db")
    )
    container.accounts.hasher.override(FakePasswordHasher())  # type: ignore[arg-type]
    await asyncio.to_thread(migrate.upgrade, f"sqlite+aiosqlite:///{tmp_path}/b.db")
    try:
        async with AsyncTestClient(app=create_app(container)) as client:
            await client.post(
                "/api/v1/auth/register",
                json={"email": "ada@example.com", "password": "correct horse battery"},
            )
            proxy.stop()
            started = time.monotonic()
            response = await client.post(
                "/api/v1/auth/login",
                json={"email": "ada@example.com", "password": "correct horse battery"},
            )
            assert time.monotonic() - started < FAST_S
    finally:
        proxy.stop()
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "upstream_unavailable"
