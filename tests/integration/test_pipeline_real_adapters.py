"""The whole pipeline through the real adapters: Open Library and OpenAI answered by a local
fake over real HTTP, offline espeak speech, SQLite, local disk, the in-process queue."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from litestar.testing import AsyncTestClient

from adapters.sqlalchemy import migrate
from domain.audio import scan_mp3
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.integration.http.conftest import register_and_login
from tests.support.fake_http import FakeHttpServer, RecordedRequest, Reply
from tests.support.openai_fakes import chat_completion

if TYPE_CHECKING:
    from pathlib import Path

ISBN = "9780140328721"
CHAT = "/v1/chat/completions"


def fake_model(request: RecordedRequest) -> Reply:
    """Outlines when asked for structured output, otherwise summarises."""
    body = request.json()
    if "response_format" in body:
        chapters = [{"number": 1, "title": "Mr. Fox"}, {"number": 2, "title": "The Shooting"}]
        return chat_completion(json.dumps({"known": True, "chapters": chapters}))
    prompt = body["messages"][-1]["content"]
    title = "Mr. Fox" if "Mr. Fox" in prompt else "The Shooting"
    return chat_completion(f"In {title}, the fox family outwits three farmers. " * 3)


def serve_open_library(fake: FakeHttpServer) -> None:
    fake.route("GET", f"/isbn/{ISBN}.json", Reply.redirect("/books/OL7353617M.json"))
    fake.route(
        "GET",
        "/books/OL7353617M.json",
        Reply.json(
            {
                "key": "/books/OL7353617M",
                "title": "Fantastic Mr. Fox",
                "authors": [{"key": "/authors/OL34184A"}],
                "works": [{"key": "/works/OL45804W"}],
                "languages": [{"key": "/languages/eng"}],
                "publishers": ["Puffin"],
                "publish_date": "October 1, 1988",
                "number_of_pages": 96,
                "isbn_10": ["0140328726"],
                "isbn_13": [ISBN],
            }
        ),
    )
    fake.route("GET", "/authors/OL34184A.json", Reply.json({"name": "Roald Dahl"}))
    fake.route("GET", "/works/OL45804W/editions.json", Reply.json({"entries": []}))
    fake.route("POST", CHAT, fake_model)


async def test_a_book_runs_through_every_real_adapter(
    fake_http: FakeHttpServer, tmp_path: Path
) -> None:
    serve_open_library(fake_http)
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bookbytes.db",
        data_dir=tmp_path,
        storage_local_path=tmp_path / "audio",
        jwt_secret_key="p" * 48,
        metadata_provider="openlibrary",
        openlibrary_base_url=fake_http.url,
        llm_provider="openai",
        openai_base_url=f"{fake_http.url}/v1",
        openai_api_key="sk-test",
        openai_model="gpt-test",
        tts_provider="espeak",
        http_timeout_s=5.0,
    )
    await asyncio.to_thread(migrate.upgrade, settings.database_url)
    async with AsyncTestClient(app=create_app(build_container(settings))) as client:
        auth = await register_and_login(client)
        accepted = await client.post("/api/v1/books/process", json={"isbn": ISBN}, headers=auth)
        job_id = accepted.json()["job_id"]
        async with asyncio.timeout(60):
            while True:
                job = (await client.get(f"/api/v1/jobs/{job_id}", headers=auth)).json()
                if job["status"] != "pending" and job["status"] != "processing":
                    break
                await asyncio.sleep(0.1)
        assert job["status"] == "completed", job
        book_id = job["result"]["book_id"]
        book = (await client.get(f"/api/v1/books/{book_id}", headers=auth)).json()
        assert (book["title"], book["author"], book["language"]) == (
            "Fantastic Mr. Fox",
            "Roald Dahl",
            "en",
        )
        chapters = (await client.get(f"/api/v1/books/{book_id}/chapters", headers=auth)).json()
        assert [c["title"] for c in chapters["items"]] == ["Mr. Fox", "The Shooting"]
        assert chapters["items"][0]["summary"].startswith("In Mr. Fox, the fox family")
        audio = await client.get(chapters["items"][0]["audio_url"], headers=auth)
        info = scan_mp3(audio.content)
        assert info is not None
        words = chapters["items"][0]["word_count"]
        assert 0.15 * words < info.duration_s < 1.5 * words  # espeak at its speaking pace

    prompts: list[Any] = [r.json() for r in fake_http.requests_to(CHAT)]
    assert any("Fantastic Mr. Fox" in json.dumps(p) for p in prompts)
    assert all(p["model"] == "gpt-test" for p in prompts)
    assert (
        fake_http.requests_to(f"/isbn/{ISBN}.json")[0]
        .headers["user-agent"]
        .startswith("BookBytes/")
    )
