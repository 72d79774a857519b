"""Google TTS with a service account: a signed JWT assertion is traded for an OAuth token
at the (fake) token endpoint, the token is cached until shortly before it expires, and a
refused assertion is EngineAuthFailed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.google_tts import GoogleSpeechSynthesizer, ServiceAccountToken
from adapters.resilience import RetryPolicy
from domain.audio import scan_mp3
from domain.errors import EngineAuthFailed
from tests.support.fake_http import FakeHttpServer, RecordedRequest, Reply
from tests.support.speech_fakes import FakeGoogleCloudTts

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

POLICY = RetryPolicy(retries=1, timeout_s=2, base_delay_s=0.001)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def server() -> Iterator[FakeHttpServer]:
    with FakeHttpServer() as running:
        yield running


def credentials_file(tmp_path: Path, key: rsa.RSAPrivateKey, token_uri: str) -> Path:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    path = tmp_path / "sa.json"
    path.write_text(json.dumps({
        "type": "service_account", "client_email": "tts@project.iam.gserviceaccount.com",
        "private_key": pem, "private_key_id": "k1", "token_uri": token_uri,
    }))  # fmt: skip
    return path


async def test_a_service_account_speaks_with_a_cached_oauth_token(
    tmp_path: Path, key: rsa.RSAPrivateKey, server: FakeHttpServer
) -> None:
    google = FakeGoogleCloudTts(server)
    token_uri = server.url + "/token"
    public = key.public_key()

    def issue(request: RecordedRequest) -> Reply:
        form = dict(p.split("=", 1) for p in request.body.decode().split("&"))
        claims = jwt.decode(form["assertion"], public, algorithms=["RS256"], audience=token_uri)
        assert claims["iss"] == "tts@project.iam.gserviceaccount.com"
        assert "cloud-platform" in claims["scope"]
        google.tokens.add("token-1")
        return Reply.json({"access_token": "token-1", "expires_in": 3600})

    server.route("POST", "/token", issue)
    async with httpx.AsyncClient() as client:
        token = ServiceAccountToken.from_file(credentials_file(tmp_path, key, token_uri), client)
        synthesizer = GoogleSpeechSynthesizer(client, POLICY, token=token, base_url=google.base_url)

        first = await synthesizer.synthesize("Hello there.", language="en")
        second = await synthesizer.synthesize("Hello again.", language="en")

    assert scan_mp3(first) is not None and scan_mp3(second) is not None
    assert len(server.requests_to("/token")) == 1
    assert {r.headers["authorization"] for r in google.requests()} == {"Bearer token-1"}


async def test_an_expired_token_is_renewed(
    tmp_path: Path, key: rsa.RSAPrivateKey, server: FakeHttpServer
) -> None:
    now = [1_000_000.0]
    server.route("POST", "/token", Reply.json({"access_token": "t", "expires_in": 3600}))
    info = json.loads(credentials_file(tmp_path, key, server.url + "/token").read_text())
    async with httpx.AsyncClient() as client:
        token = ServiceAccountToken(info, client, clock=lambda: now[0])

        await token.token()
        now[0] += 3000
        await token.token()
        now[0] += 600  # within a minute of expiry
        await token.token()

    assert len(server.requests_to("/token")) == 2


async def test_a_refused_assertion_is_engine_auth_failed(
    tmp_path: Path, key: rsa.RSAPrivateKey, server: FakeHttpServer
) -> None:
    server.route("POST", "/token", Reply.json({"error": "invalid_grant"}, 400))
    path = credentials_file(tmp_path, key, server.url + "/token")
    async with httpx.AsyncClient() as client:
        token = ServiceAccountToken.from_file(path, client)

        with pytest.raises(EngineAuthFailed):
            await token.token()
