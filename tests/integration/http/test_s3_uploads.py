"""With STORAGE_BACKEND=s3, uploaded books and their covers are kept in the bucket (moto's
server over real HTTP), so any API or worker machine can read them."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from litestar.testing import AsyncTestClient

from adapters.storage.s3_uploads import S3UploadStore
from entrypoints.http.app import create_app
from tests.integration.http.conftest import memory_container, memory_settings, register_and_login
from tests.support.books import COVER, epub3
from tests.support.s3 import CREDENTIALS, create_bucket

if TYPE_CHECKING:
    from pathlib import Path

    from entrypoints.container import Container

BUCKET = "http-uploads"


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default credential chain (what production uses) finds moto's test keys."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])


def s3_container(tmp_path: Path, endpoint: str, **overrides: Any) -> Container:
    settings = memory_settings(
        tmp_path, storage_backend="s3", s3_bucket=BUCKET, s3_endpoint_url=endpoint, **overrides
    )
    return memory_container(settings)


def objects(endpoint: str, prefix: str) -> dict[str, bytes]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


async def test_an_upload_lives_in_the_bucket_until_deleted(
    moto_server: str, tmp_path: Path
) -> None:
    create_bucket(moto_server, BUCKET)
    container = s3_container(tmp_path, moto_server)
    assert isinstance(container.upload_files(), S3UploadStore)
    book = epub3()
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        created = await client.post(
            "/api/v1/uploads", files={"file": ("book.epub", book, "application/epub+zip")},
            headers=auth,
        )  # fmt: skip
        assert created.status_code == 201, created.text
        upload_id = created.json()["upload_id"]
        prefix = f"uploads/{upload_id}/"
        stored = objects(moto_server, prefix)
        assert stored == {f"{prefix}original": book, f"{prefix}cover": COVER}
        assert not (tmp_path / "uploads").exists()  # nothing on the local disk

        listed = await client.get(f"/api/v1/uploads/{upload_id}", headers=auth)
        assert listed.status_code == 200
        assert [c["number"] for c in listed.json()["chapters"]] == [1, 2, 3]
        cover = await client.get(created.json()["cover"], headers=auth)
        assert (cover.status_code, cover.content) == (200, COVER)

        deleted = await client.delete(f"/api/v1/uploads/{upload_id}", headers=auth)
        assert deleted.status_code == 204
        assert objects(moto_server, prefix) == {}
        gone = await client.get(f"/api/v1/uploads/{upload_id}", headers=auth)
        assert gone.status_code == 404


async def test_a_file_over_the_limit_leaves_nothing_in_the_bucket(
    moto_server: str, tmp_path: Path
) -> None:
    create_bucket(moto_server, BUCKET)
    container = s3_container(tmp_path, moto_server, max_upload_bytes=1024)
    before = objects(moto_server, "uploads/")
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        response = await client.post(
            "/api/v1/uploads", files={"file": ("b.txt", b"x" * 4096)}, headers=auth
        )
        assert response.status_code == 413, response.text
    assert objects(moto_server, "uploads/") == before


async def test_an_unreachable_bucket_is_503_not_500(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    container = s3_container(tmp_path, f"http://127.0.0.1:{port}", http_retries=0)
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        response = await client.post(
            "/api/v1/uploads", files={"file": ("b.txt", b"some text")}, headers=auth
        )
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "upstream_unavailable"
