"""Voices over HTTP, as a new user meets them: GET /voices lists every configured engine,
a preview in each plays, a dry run shows the cost per engine, books made with Polly, Azure
and Piper have valid MP3 chapters, and an engine out of quota falls back to the next.

Cloud engines are local fakes over real HTTP (tests/support/speech_fakes.py); Piper is real.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from litestar.testing import AsyncTestClient

from domain.audio import scan_mp3
from entrypoints.http.app import create_app
from tests.integration.http.conftest import (
    memory_container,
    memory_settings,
    register_and_login,
    wait_for_job,
)
from tests.support.fake_http import FakeHttpServer
from tests.support.speech_fakes import (
    KEY,
    FakeAzureSpeech,
    FakeElevenLabs,
    FakeGoogleCloudTts,
    FakePolly,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

ISBN = "9780306406157"
ENGINES = {"memory", "piper", "google", "polly", "azure", "elevenlabs"}


class Services:
    """One fake per cloud engine, each on its own server."""

    def __init__(self, google: Any, polly: Any, azure: Any, eleven: Any) -> None:
        self.google, self.polly, self.azure, self.eleven = google, polly, azure, eleven


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    servers = [FakeHttpServer().start() for _ in range(4)]
    try:
        yield Services(
            FakeGoogleCloudTts(servers[0]),
            FakePolly(servers[1]),
            FakeAzureSpeech(servers[2]),
            FakeElevenLabs(servers[3]),
        )
    finally:
        for server in servers:
            server.close()


def voice_settings(tmp_path: Path, services: Services, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "tts_provider": "memory",
        "tts_fallback": ("piper",),
        "google_tts_api_key": KEY,
        "google_tts_base_url": services.google.base_url,
        "polly_region": "us-east-1",
        "polly_endpoint_url": services.polly.server.url,
        "azure_speech_key": KEY,
        "azure_speech_base_url": services.azure.base_url,
        "elevenlabs_api_key": KEY,
        "elevenlabs_base_url": services.eleven.base_url,
        "elevenlabs_model": "test-model",
        "http_retries": 1,
        "preview_rate_limit_per_minute": 100,
    }
    values.update(overrides)
    return memory_settings(tmp_path, **values)


@pytest.fixture
async def app(tmp_path: Path, services: Services) -> AsyncIterator[AsyncTestClient[Any]]:
    container = memory_container(voice_settings(tmp_path, services))
    async with AsyncTestClient(app=create_app(container)) as client:
        yield client


async def test_lists_the_voices_of_every_configured_engine(
    app: AsyncTestClient[Any],
) -> None:
    auth = await register_and_login(app)

    voices = (await app.get("/api/v1/voices", headers=auth)).json()
    polly = (await app.get("/api/v1/voices?provider=polly", headers=auth)).json()

    assert {v["provider"] for v in voices} == ENGINES
    assert voices[0]["provider"] == "memory"  # the default engine first
    joanna = next(v for v in polly if v["voice_id"] == "Joanna")
    assert set(joanna["types"]) == {"default", "female"}
    assert {v["provider"] for v in polly} == {"polly"}
    for engine in ENGINES:
        kinds = {t for v in voices if v["provider"] == engine for t in v["types"]}
        assert kinds == {"default", "female", "male", "child"}, engine


async def test_a_preview_plays_in_every_engine(
    app: AsyncTestClient[Any], services: Services
) -> None:
    auth = await register_and_login(app)

    for engine in sorted(ENGINES):
        response = await app.post(
            "/api/v1/voices/preview",
            json={"text": "Call me Ishmael. Some years ago, never mind how long.",
                  "provider": engine, "voice": "male", "speed": 1.25},
            headers=auth,
        )  # fmt: skip

        assert response.status_code == 200, (engine, response.text)
        assert response.headers["content-type"] == "audio/mpeg"
        assert scan_mp3(response.content) is not None, engine
    assert services.polly.voices_used == ["Matthew"]
    assert services.azure.voices_used == ["en-US-GuyNeural"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "x" * 501}, "validation_error"),
        ({"text": "   "}, "validation_error"),
        ({"text": "Hello.", "provider": "nobody"}, "invalid_provider"),
        ({"text": "Hello.", "provider": "polly", "voice": "Jenny"}, "invalid_voice"),
        ({"text": "Hello.", "speed": 3}, "validation_error"),
    ],
)
async def test_a_bad_preview_is_refused_with_422(
    app: AsyncTestClient[Any], body: dict[str, Any], code: str
) -> None:
    auth = await register_and_login(app)

    response = await app.post("/api/v1/voices/preview", json=body, headers=auth)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


async def test_previews_are_rate_limited_per_user(tmp_path: Path, services: Services) -> None:
    settings = voice_settings(tmp_path, services, preview_rate_limit_per_minute=2)
    async with AsyncTestClient(app=create_app(memory_container(settings))) as app:
        ada = await register_and_login(app, "ada@example.com")
        bob = await register_and_login(app, "bob@example.com")
        preview = {"text": "Hello there."}

        answers = [
            (await app.post("/api/v1/voices/preview", json=preview, headers=ada)).status_code
            for _ in range(3)
        ]
        other = await app.post("/api/v1/voices/preview", json=preview, headers=bob)

    assert answers == [200, 200, 429]
    assert other.status_code == 200


async def test_a_dry_run_estimates_the_cost_per_engine_and_queues_nothing(
    app: AsyncTestClient[Any],
) -> None:
    auth = await register_and_login(app)

    response = await app.post(
        "/api/v1/books/process",
        json={"isbn": ISBN, "provider": "polly", "speed": 2.0, "dry_run": True},
        headers=auth,
    )

    assert response.status_code == 200, response.text
    estimate = response.json()
    assert set(estimate["cost_usd"]) == ENGINES
    assert estimate["cost_usd"]["polly"] > estimate["cost_usd"]["piper"] == 0.0
    assert estimate["cost_usd"]["elevenlabs"] > estimate["cost_usd"]["polly"]
    assert estimate["characters"] > 0 and estimate["llm_tokens"]["output"] > 0
    assert estimate["speech_seconds"] == pytest.approx(estimate["characters"] / 30, abs=0.1)
    assert estimate["prices_as_of"] == "2025-06-01"
    assert (await app.get("/api/v1/jobs", headers=auth)).json()["items"] == []


async def test_a_dry_run_of_a_bad_recipe_is_refused(app: AsyncTestClient[Any]) -> None:
    auth = await register_and_login(app)

    response = await app.post(
        "/api/v1/books/process",
        json={"isbn": ISBN, "provider": "nobody", "dry_run": True},
        headers=auth,
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_provider"


@pytest.mark.parametrize("engine", ["polly", "azure", "piper"])
async def test_a_book_made_with_the_engine_has_valid_mp3_chapters(
    app: AsyncTestClient[Any], engine: str
) -> None:
    auth = await register_and_login(app)

    job = await _make_book(app, auth, provider=engine)

    assert job["status"] == "completed", job
    await _assert_mp3_chapters(app, auth, job)


async def test_an_engine_out_of_quota_falls_back_to_the_next(
    tmp_path: Path, services: Services
) -> None:
    settings = voice_settings(
        tmp_path, services, tts_provider="elevenlabs", tts_fallback=("azure",)
    )
    services.eleven.fail(*["quota"] * 20)
    async with AsyncTestClient(app=create_app(memory_container(settings))) as app:
        auth = await register_and_login(app)

        job = await _make_book(app, auth)

        assert job["status"] == "completed", job
        await _assert_mp3_chapters(app, auth, job)
    assert len(services.eleven.requests()) == 3  # one refusal per chapter, none retried
    assert len(services.azure.texts) == 3  # every chapter spoken whole by the next engine


async def _make_book(app: AsyncTestClient[Any], auth: dict[str, str], **recipe: Any) -> Any:
    response = await app.post("/api/v1/books/process", json={"isbn": ISBN, **recipe}, headers=auth)
    assert response.status_code == 202, response.text
    return await wait_for_job(app, auth, response.json()["job_id"], timeout_s=60)


async def _assert_mp3_chapters(
    app: AsyncTestClient[Any], auth: dict[str, str], job: dict[str, Any]
) -> None:
    book, rendition = job["result"]["book_id"], job["result"]["rendition_id"]
    for number in range(1, job["result"]["chapters"] + 1):
        audio = await app.get(
            f"/api/v1/books/{book}/chapters/{number}/audio?rendition={rendition}", headers=auth
        )
        assert audio.status_code == 200, audio.text
        assert scan_mp3(audio.content) is not None
