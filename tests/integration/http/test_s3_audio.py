"""With S3 storage, the audio endpoint redirects to a pre-signed URL that serves the MP3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aioboto3
import httpx
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from adapters.storage.s3 import S3AudioStorage
from domain.audio import scan_mp3
from entrypoints.http.app import create_app
from tests.integration.http.conftest import (
    memory_container,
    memory_settings,
    register_and_login,
    wait_for_job,
)
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from pathlib import Path

BUCKET = "http-audio"


async def test_audio_on_s3_is_a_redirect_to_a_working_presigned_url(
    moto_server: str, tmp_path: Path
) -> None:
    create_bucket(moto_server, BUCKET)
    container = memory_container(memory_settings(tmp_path))
    storage = S3AudioStorage(
        BUCKET,
        region="us-east-1",
        endpoint_url=moto_server,
        session=aioboto3.Session(**CREDENTIALS),
    )
    container.making.storage.override(providers.Object(storage))
    try:
        async with AsyncTestClient(app=create_app(container)) as client:
            auth = await register_and_login(client)
            accepted = await client.post(
                "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
            )
            job: dict[str, Any] = await wait_for_job(client, auth, accepted.json()["job_id"])
            assert job["status"] == "completed", job
            url = f"/api/v1/books/{job['result']['book_id']}/chapters/1/audio"
            response = await client.get(url, headers=auth, follow_redirects=False)
            assert response.status_code == 307
            location = response.headers["location"]
            assert location.startswith(moto_server)
            assert "Signature" in location or "X-Amz-Signature" in location
        async with httpx.AsyncClient() as http:
            fetched = await http.get(location)
        assert fetched.status_code == 200
        assert scan_mp3(fetched.content) is not None
    finally:
        await storage.aclose()
