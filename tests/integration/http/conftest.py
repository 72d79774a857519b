"""The HTTP app on in-memory adapters, driven through Litestar's AsyncTestClient."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.memory.security import FakePasswordHasher
from adapters.memory.storage import MemoryAudioStorage
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from entrypoints.container import Container, build_container
from entrypoints.http.app import asgi_app, create_app
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

PASSWORD = "correct horse battery"


def memory_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings whose every outside service is the deterministic fake."""
    values: dict[str, Any] = {
        "metadata_provider": "memory",
        "llm_provider": "memory",
        "tts_provider": "memory",
        "jwt_secret_key": "s" * 48,
        "data_dir": tmp_path,
        "storage_local_path": tmp_path / "audio",
        "upload_local_path": tmp_path / "uploads",
        "shutdown_timeout_s": 2.0,
    }
    values.update(overrides)
    return Settings(**values)


def memory_container(settings: Settings) -> Container:
    """A container on memory persistence, memory storage and a fast password hasher."""
    container = build_container(replace(settings, job_retry_delay_s=0.01, worker_max_jobs=2))
    container.core.uow_factory.override(providers.Object(MemoryUnitOfWorkFactory()))
    container.making.storage.override(providers.Object(MemoryAudioStorage()))
    container.accounts.hasher.override(providers.Object(FakePasswordHasher()))
    return container


@pytest.fixture
def container(tmp_path: Path) -> Container:
    return memory_container(memory_settings(tmp_path))


@pytest.fixture
async def client(container: Container) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(app=create_app(container)) as client:
        yield client


@pytest.fixture
async def raw_client(container: Container) -> AsyncIterator[AsyncTestClient[Any]]:
    """The app behind its outermost ASGI layer, as `bookbytes serve` runs it."""
    async with AsyncTestClient(app=asgi_app(container)) as client:
        yield client


async def register_and_login(
    client: AsyncTestClient[Any], email: str = "ada@example.com"
) -> dict[str, str]:
    """Register an account, log in, and return the Authorization header."""
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def auth(client: AsyncTestClient[Any]) -> dict[str, str]:
    return await register_and_login(client)


async def wait_for_job(
    client: AsyncTestClient[Any], headers: dict[str, str], job_id: str, timeout_s: float = 10.0
) -> dict[str, Any]:
    """Poll a job until it is finished; return its last state."""
    async with asyncio.timeout(timeout_s):
        while True:
            response = await client.get(f"/api/v1/jobs/{job_id}", headers=headers)
            assert response.status_code == 200, response.text
            job: dict[str, Any] = response.json()
            if job["status"] in ("completed", "failed", "cancelled"):
                return job
            await asyncio.sleep(0.02)
