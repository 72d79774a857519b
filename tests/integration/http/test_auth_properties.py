"""Property tests on the account endpoints: round trips hold, bad input is never a 5xx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from entrypoints.http.app import create_app
from tests.integration.http.conftest import memory_container, memory_settings

local_part = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), exclude_characters="@"
    ),
    min_size=1,
    max_size=30,
)
domain_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü0123456789", min_size=1, max_size=12)
emails = st.builds(
    lambda name, host, tld: f"{name}@{host}.{tld}",
    local_part,
    domain_label,
    st.sampled_from(["com", "org", "de"]),
)
passwords = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=8, max_size=128
).filter(lambda p: p.strip())
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_register_then_login_round_trips_for_unicode_accounts(tmp_path: Path) -> None:
    settings_ = memory_settings(tmp_path, rate_limit_per_minute=1_000_000)
    with TestClient(app=create_app(memory_container(settings_))) as client:

        @SLOW
        @given(email=emails, password=passwords)
        def round_trip(email: str, password: str) -> None:
            created = client.post(
                "/api/v1/auth/register", json={"email": email, "password": password}
            )
            assert created.status_code in (201, 409, 422), created.text
            if created.status_code != 201:
                # 409: two examples normalised to the same email; 422: NFKC made it invalid.
                assert created.json()["error"]["code"] in ("email_taken", "invalid_email")
                return
            login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert me.json()["id"] == created.json()["id"]
            wrong = client.post(
                "/api/v1/auth/login", json={"email": email, "password": password + "x"}
            )
            assert wrong.status_code == 401

        round_trip()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=10,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"email": json_values, "password": json_values}),
    st.fixed_dictionaries({"refresh_token": json_values}),
    st.fixed_dictionaries({"isbn": json_values}),
)


def test_invalid_input_is_always_4xx_never_5xx(tmp_path: Path) -> None:
    settings_ = memory_settings(tmp_path, rate_limit_per_minute=1_000_000)
    with TestClient(app=create_app(memory_container(settings_))) as client:
        client.post(
            "/api/v1/auth/register", json={"email": "a@example.com", "password": "long enough"}
        )
        token = client.post(
            "/api/v1/auth/login", json={"email": "a@example.com", "password": "long enough"}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}

        @SLOW
        @given(
            path=st.sampled_from(
                [
                    "/api/v1/auth/register",
                    "/api/v1/auth/login",
                    "/api/v1/auth/refresh",
                    "/api/v1/auth/logout",
                    "/api/v1/books/process",
                ]
            ),
            body=bodies,
            raw=st.booleans(),
        )
        def never_a_server_error(path: str, body: Any, raw: bool) -> None:
            if raw:
                content = str(body).encode()[:200]
                response = client.post(
                    path, content=content, headers={**auth, "Content-Type": "application/json"}
                )
            else:
                response = client.post(path, json=body, headers=auth)
            assert response.status_code < 500, response.text
            if response.status_code >= 400:
                assert set(response.json()["error"]) >= {"code", "message", "request_id"}

        never_a_server_error()
