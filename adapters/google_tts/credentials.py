"""A Google service account's OAuth access token: a JWT assertion signed with the account's
private key (pyjwt, RS256) traded at its ``token_uri``, cached until shortly before expiry."""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

import httpx
import jwt

from adapters.speech_http import http_error
from domain.errors import EngineAuthFailed, TransientUpstreamError, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = ["SCOPE", "ServiceAccountToken"]

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_LIFETIME_S = 3600
_EARLY_S = 60  # renew this long before the token expires


class ServiceAccountToken:
    """Access tokens for the service account in a credentials JSON file.

    ``token_uri`` overrides the file's (a local fake in tests). ``clock`` gives Unix time.
    """

    def __init__(
        self,
        info: dict[str, Any],
        client: httpx.AsyncClient,
        *,
        token_uri: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
        if missing and not (missing == ["token_uri"] and token_uri):
            raise ValueError(f"the service account file lacks {', '.join(missing)}")
        self._email: str = info["client_email"]
        self._key: str = info["private_key"]
        self._key_id: str | None = info.get("private_key_id")
        self._token_uri: str = token_uri or info["token_uri"]
        self._client = client
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def from_file(
        cls, path: Path, client: httpx.AsyncClient, *, token_uri: str | None = None
    ) -> ServiceAccountToken:
        """Read the credentials JSON. Raises ValueError when it is not a service account."""
        info = json.loads(path.read_text(encoding="utf-8"))
        if info.get("type") != "service_account":
            raise ValueError(f"{path} is not a service account key file")
        return cls(info, client, token_uri=token_uri)

    async def token(self) -> str:
        """A valid access token (a new one only when the cached one is about to expire).

        Raises:
            EngineAuthFailed: the token endpoint refused the assertion.
            TransientUpstreamError: the endpoint timed out or failed 5xx.
        """
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at - _EARLY_S:
                self._token, lifetime = await self._fetch()
                self._expires_at = self._clock() + lifetime
            return self._token

    async def _fetch(self) -> tuple[str, float]:
        now = int(self._clock())
        claims = {
            "iss": self._email, "scope": SCOPE, "aud": self._token_uri,
            "iat": now, "exp": now + _LIFETIME_S,
        }  # fmt: skip
        headers = {"kid": self._key_id} if self._key_id else None
        assertion = jwt.encode(claims, self._key, algorithm="RS256", headers=headers)
        what = "Google OAuth token"
        try:
            response = await self._client.post(
                self._token_uri, data={"grant_type": _GRANT, "assertion": assertion}
            )
        except httpx.HTTPError as exc:
            raise TransientUpstreamError(f"{what}: {type(exc).__name__}") from exc
        if response.status_code in (400, 401, 403):
            raise EngineAuthFailed(f"{what}: the service account was refused")
        if response.status_code >= 400:
            raise http_error(response.status_code, response.content, response.headers, what)
        try:
            body = response.json()
            return str(body["access_token"]), float(body.get("expires_in", _LIFETIME_S))
        except (ValueError, KeyError, TypeError) as exc:
            raise UpstreamError(f"{what}: the answer has no access_token") from exc
