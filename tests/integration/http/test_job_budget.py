"""One attempt budget (JOB_MAX_ATTEMPTS) for jobs run by the embedded in-process queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import providers

from domain.errors import TransientUpstreamError
from tests.integration.http.conftest import (
    memory_container,
    memory_settings,
    register_and_login,
    wait_for_job,
)

if TYPE_CHECKING:
    from pathlib import Path

from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app


class DownSummarizer:
    """A language model that never answers."""

    def __init__(self) -> None:
        self.calls = 0

    async def summarize(self, book: Any, chapter: Any) -> str:
        self.calls += 1
        raise TransientUpstreamError("the model is overloaded")


async def test_a_job_that_keeps_failing_stops_after_its_attempts_with_the_error(
    tmp_path: Path,
) -> None:
    container = memory_container(
        memory_settings(tmp_path, job_max_attempts=4, chapter_concurrency=1)
    )
    down = DownSummarizer()
    container.making.summarizer.override(providers.Object(down))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        response = await client.post(
            "/api/v1/books/process", json={"isbn": "9780306406157"}, headers=auth
        )
        job = await wait_for_job(client, auth, response.json()["job_id"])
    assert job["status"] == "failed"
    assert job["attempts"] == 4
    assert job["error"]["code"] == "upstream_unavailable"
    assert job["error"]["message"] == "the model is overloaded"
    assert down.calls == 4  # one chapter tried per attempt, then the job stopped
