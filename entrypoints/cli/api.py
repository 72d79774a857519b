"""The HTTP client the terminal commands share: requests, errors, and logging in.

Authentication, in order: --token / BOOKBYTES_TOKEN (an access token), --api-key /
BOOKBYTES_API_KEY, or --email + --password / BOOKBYTES_EMAIL + BOOKBYTES_PASSWORD (logs in).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from entrypoints.cli.output import CommandError

if TYPE_CHECKING:
    import argparse

CONNECTION_ERROR = 2


class ApiError(CommandError):
    """The API answered with an error; ``code`` is its error code (e.g. ``email_taken``)."""

    def __init__(self, message: str, status: int, code: str | None) -> None:
        super().__init__(message, 1)
        self.status = status
        self.code = code


@dataclass
class Api:
    """A small client of the BookBytes HTTP API."""

    client: httpx.Client
    headers: dict[str, str]

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request; a transport failure exits 2, an error answer raises ApiError."""
        try:
            response = self.client.request(method, path, headers=self.headers, **kwargs)
        except httpx.HTTPError as exc:
            raise CommandError(
                f"cannot reach {self.client.base_url}: {exc} (is `bookbytes serve` running "
                "there? --url or BOOKBYTES_URL say where)",
                CONNECTION_ERROR,
            ) from exc
        if response.status_code >= 400:
            raise api_error(response)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.call(method, path, **kwargs).json()


def api_error(response: httpx.Response) -> ApiError:
    """The error envelope of ``response`` as an ApiError."""
    try:
        error = response.json()["error"]
        message = f"{error['message']} ({error['code']}, HTTP {response.status_code})"
        return ApiError(message, response.status_code, str(error["code"]))
    except (ValueError, KeyError, TypeError):
        message = f"HTTP {response.status_code}: {response.text[:200]}"
        return ApiError(message, response.status_code, None)


def anonymous(args: argparse.Namespace, timeout_s: float = 30.0) -> Api:
    """A client without credentials."""
    return Api(httpx.Client(base_url=args.url, timeout=timeout_s), {})


def email_and_password(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """--email/--password, else BOOKBYTES_EMAIL/BOOKBYTES_PASSWORD."""
    email = args.email or os.environ.get("BOOKBYTES_EMAIL")
    password = os.environ.get("BOOKBYTES_PASSWORD") if args.password is None else args.password
    return email, password


def log_in(api: Api, email: str, password: str) -> Api:
    """``api``'s connection with the access token of ``email``."""
    pair = api.json("POST", "/api/v1/auth/login", json={"email": email, "password": password})
    return Api(api.client, {"Authorization": f"Bearer {pair['access_token']}"})


def connect(args: argparse.Namespace) -> Api:
    """An authenticated client from the command's options and the environment."""
    api = anonymous(args)
    token = args.token or os.environ.get("BOOKBYTES_TOKEN")
    api_key = args.api_key or os.environ.get("BOOKBYTES_API_KEY")
    if token:
        return Api(api.client, {"Authorization": f"Bearer {token}"})
    if api_key:
        return Api(api.client, {"X-API-Key": api_key})
    email, password = email_and_password(args)
    if not email or not password:
        raise CommandError(
            "no credentials: pass --token, --api-key, or --email and --password "
            "(or set BOOKBYTES_TOKEN, BOOKBYTES_API_KEY, BOOKBYTES_EMAIL/BOOKBYTES_PASSWORD)",
            2,
        )
    return log_in(api, email, password)


__all__ = ["Api", "ApiError", "anonymous", "api_error", "connect", "email_and_password", "log_in"]
