"""X-Forwarded-For is believed only from TRUSTED_PROXIES: a client rotating the header
cannot dodge the per-address login limit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from tests.e2e.embedded import Server

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

LIMIT = 3


def login_statuses(server: Server, forwarded_for: list[str]) -> list[int]:
    statuses = []
    for n, address in enumerate(forwarded_for):
        response = httpx.post(  # a new account each time: only the address limit applies
            f"{server.url}/api/v1/auth/login",
            json={"email": f"nobody{n}@example.com", "password": "wrong password!"},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(response.status_code)
    return statuses


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        ("", [401, 401, 401, 429, 429]),  # the header is ignored: one client, limited
        ("127.0.0.1", [401] * 5),  # a trusted proxy says these are five clients
    ],
)
def test_forwarded_for_counts_only_from_trusted_proxies(
    tmp_path: Path, trusted: str, expected: list[int]
) -> None:
    server = Server(tmp_path, RATE_LIMIT_PER_MINUTE=str(LIMIT), TRUSTED_PROXIES=trusted)
    try:
        rotating = [f"203.0.113.{n}" for n in range(1, 6)]
        assert login_statuses(server, rotating) == expected
    finally:
        assert server.stop() == 0
