"""Renditions over HTTP: each recipe is its own audio, a known recipe is reused, and a
voice that is neither a voice type nor an engine's voice is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration.http.conftest import register_and_login, wait_for_job

if TYPE_CHECKING:
    from litestar.testing import AsyncTestClient

    from entrypoints.container import Container

ISBN = "9780306406157"


async def make(client: AsyncTestClient[Any], auth: dict[str, str], **recipe: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/books/process", json={"isbn": ISBN, **recipe}, headers=auth
    )
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, auth, response.json()["job_id"])
    assert job["status"] == "completed", job
    return job


async def test_two_voices_are_two_renditions_and_a_third_request_reuses_audio(
    client: AsyncTestClient[Any], container: Container
) -> None:
    ada = await register_and_login(client, "ada@example.com")
    bob = await register_and_login(client, "bob@example.com")
    female = await make(client, ada, voice="female")
    male = await make(client, bob, voice="male")
    book = female["result"]["book_id"]
    assert male["result"]["book_id"] == book
    assert female["recipe"]["voice"] == "female"
    assert male["result"]["rendition_id"] != female["result"]["rendition_id"]

    def audio_url(job: dict[str, Any]) -> str:
        return f"/api/v1/books/{book}/chapters/1/audio?rendition={job['result']['rendition_id']}"

    first = await client.get(audio_url(female), headers=bob)  # the catalogue is shared
    second = await client.get(audio_url(male), headers=ada)
    assert first.status_code == second.status_code == 200
    assert first.content != second.content

    speech = container.making.speech_engines().engine("memory")
    spoken = len(speech.spoken)  # type: ignore[attr-defined]
    again = await make(client, bob, voice="female")
    assert again["result"]["rendition_id"] == female["result"]["rendition_id"]
    assert len(speech.spoken) == spoken  # type: ignore[attr-defined]  # no speech call

    listing = (
        await client.get(
            f"/api/v1/books/{book}/chapters?rendition={male['result']['rendition_id']}",
            headers=ada,
        )
    ).json()
    assert listing["rendition"]["voice"] == "male"
    assert all(c["rendition_id"] == male["result"]["rendition_id"] for c in listing["items"])


async def test_a_rendition_of_another_book_is_404(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    job = await make(client, auth)
    book = job["result"]["book_id"]
    unknown = "00000000-0000-0000-0000-000000000001"
    for path in (f"chapters?rendition={unknown}", f"chapters/1/audio?rendition={unknown}"):
        response = await client.get(f"/api/v1/books/{book}/{path}", headers=auth)
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "rendition_not_found"


async def test_a_voice_that_is_not_a_type_or_an_engine_voice_is_invalid_voice(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    for voice in ("en+" + "x" * 40, "robot", "fe\u0000male"):
        response = await client.post(
            "/api/v1/books/process", json={"isbn": ISBN, "voice": voice}, headers=auth
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_voice"
    response = await client.post(
        "/api/v1/books/process", json={"isbn": ISBN, "provider": "polly"}, headers=auth
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_provider"
    jobs = (await client.get("/api/v1/jobs", headers=auth)).json()
    assert jobs["total"] == 0
