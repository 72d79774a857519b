"""The attack matrix: every forged, stale or misused credential answers 401 in the envelope."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar.testing import AsyncTestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from tests.integration.http.conftest import (
    PASSWORD,
    memory_container,
    memory_settings,
    register_and_login,
)

SECRET = "s" * 48  # the conftest's JWT_SECRET_KEY


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "iss": "bookbytes",
        "aud": "bookbytes-api",
        "jti": uuid.uuid4().hex,
        "scope": "books jobs",
        "type": "access",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(header: dict[str, Any], payload: dict[str, Any], key: bytes) -> str:
    """A JWT signed by hand with HMAC-SHA256 (pyjwt refuses PEM keys as HMAC secrets)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


async def me(client: AsyncTestClient[Any], token: str) -> Any:
    return await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})


def assert_401(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "invalid_token"


async def user_id(client: AsyncTestClient[Any], auth: dict[str, str]) -> str:
    body: dict[str, Any] = (await client.get("/api/v1/auth/me", headers=auth)).json()
    return str(body["id"])


async def test_a_valid_access_token_works(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.get("/api/v1/auth/me", headers=auth)
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.com"


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub), None, algorithm="none"), id="alg-none"
        ),
        pytest.param(lambda sub: jwt.encode(claims(sub=sub), "x" * 48, "HS256"), id="wrong-key"),
        pytest.param(lambda sub: jwt.encode(claims(sub=sub), SECRET, "HS512"), id="other-alg"),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, exp=int(time.time()) - 120), SECRET, "HS256"),
            id="expired",
        ),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, nbf=int(time.time()) + 600), SECRET, "HS256"),
            id="not-yet-valid",
        ),
        pytest.param(lambda sub: jwt.encode(claims(sub=None), SECRET, "HS256"), id="no-sub"),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, exp=None), SECRET, "HS256"), id="no-exp"
        ),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, aud="someone-else"), SECRET, "HS256"),
            id="wrong-audience",
        ),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, iss="evil"), SECRET, "HS256"), id="wrong-issuer"
        ),
        pytest.param(
            lambda sub: jwt.encode(claims(sub=sub, type="refresh"), SECRET, "HS256"),
            id="not-an-access-token",
        ),
        pytest.param(
            lambda sub: jwt.encode(claims(sub="not-a-uuid"), SECRET, "HS256"), id="bad-sub"
        ),
    ],
)
async def test_forged_and_stale_tokens_are_refused(
    client: AsyncTestClient[Any], auth: dict[str, str], forge: Any
) -> None:
    assert_401(await me(client, forge(await user_id(client, auth))))


async def test_a_tampered_payload_is_refused(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    token = auth["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["scope"] = "books jobs admin"
    tampered = f"{header}.{b64(json.dumps(body).encode())}.{signature}"
    assert_401(await me(client, tampered))


async def test_refresh_and_access_tokens_cannot_stand_in_for_each_other(
    client: AsyncTestClient[Any],
) -> None:
    await client.post(
        "/api/v1/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
    )
    pair = (
        await client.post(
            "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
        )
    ).json()
    assert_401(await me(client, pair["refresh_token"]))
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]}
    )
    assert_401(refreshed)


async def test_register_login_refresh_logout_and_the_old_tokens_fail(
    client: AsyncTestClient[Any],
) -> None:
    await client.post(
        "/api/v1/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
    )
    login = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    first = login.json()
    assert first["token_type"] == "bearer"
    assert first["expires_in"] == 900

    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert (await me(client, second["access_token"])).status_code == 200

    logout = await client.post(
        "/api/v1/auth/logout", json={"refresh_token": second["refresh_token"]}
    )
    assert logout.status_code == 204
    assert_401(
        await client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    )
    # The first refresh token was rotated away: presenting it again is reuse.
    reuse = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert_401(reuse)
    assert "reused" in reuse.json()["error"]["message"]


async def test_tokens_of_deleted_or_inactive_users_are_refused(
    container: Container, client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    db = container.core.uow_factory().db
    (user,) = db.table("users").values()
    db.table("users")[user.id] = replace(user, is_active=False)
    assert_401(await client.get("/api/v1/auth/me", headers=auth))
    del db.table("users")[user.id]
    assert_401(await client.get("/api/v1/jobs", headers=auth))


async def test_an_hs256_token_signed_with_the_rs256_public_key_is_refused(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "private.pem").write_bytes(private_pem)
    (tmp_path / "public.pem").write_bytes(public_pem)
    settings = replace(
        memory_settings(tmp_path),
        jwt_algorithm="RS256",
        jwt_secret_key=None,
        jwt_private_key_file=tmp_path / "private.pem",
        jwt_public_key_file=tmp_path / "public.pem",
    )
    async with AsyncTestClient(app=create_app(memory_container(settings))) as client:
        auth = await register_and_login(client)
        assert (await client.get("/api/v1/auth/me", headers=auth)).status_code == 200
        sub = await user_id(client, auth)
        confused = hand_signed({"alg": "HS256", "typ": "JWT"}, claims(sub=sub), public_pem)
        assert_401(await me(client, confused))


async def test_login_is_rate_limited_with_retry_after(tmp_path: Path) -> None:
    settings = replace(memory_settings(tmp_path), rate_limit_per_minute=3)
    async with AsyncTestClient(app=create_app(memory_container(settings))) as client:
        body = {"email": "ada@example.com", "password": "wrong password"}
        statuses = [
            (await client.post("/api/v1/auth/login", json=body)).status_code for _ in range(3)
        ]
        assert statuses == [401, 401, 401]
        limited = await client.post("/api/v1/auth/login", json=body)
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60


async def test_api_key_mode(tmp_path: Path) -> None:
    key = "k" * 32
    settings = replace(memory_settings(tmp_path), auth_mode="api_key", api_key=key)
    async with AsyncTestClient(app=create_app(memory_container(settings))) as client:
        ok = await client.get("/api/v1/jobs", headers={"X-API-Key": key})
        assert ok.status_code == 200
        again = await client.get("/api/v1/auth/me", headers={"X-API-Key": key})
        assert again.json()["email"] == "local@bookbytes.invalid"
        for headers in ({}, {"X-API-Key": "k" * 31 + "x"}, {"Authorization": "Bearer x"}):
            denied = await client.get("/api/v1/jobs", headers=headers)
            assert denied.status_code == 401
            assert denied.json()["error"]["code"] in ("unauthorized", "invalid_token")
