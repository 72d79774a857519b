"""Litestar dependencies: use cases from the container, and the authenticated user."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide

from domain.errors import AuthenticationFailed, InvalidToken
from domain.user import User

if TYPE_CHECKING:
    from entrypoints.container import Container


def container_of(request: Request[Any, Any, Any]) -> Container:
    """The container the app was built with."""
    container: Container = request.app.state.container
    return container


def use_case(path: str) -> Provide:
    """A dependency that builds use case ``path`` (``feature.name``, e.g.
    ``books.process_book``) from the container per request."""
    feature, name = path.split(".")

    def provide(request: Request[Any, Any, Any]) -> Any:
        return getattr(getattr(container_of(request), feature), name)()

    return Provide(provide, sync_to_thread=False)


async def authenticate(request: ASGIConnection[Any, Any, Any, Any]) -> User:
    """The caller: a Bearer access token (AUTH_MODE=jwt) or X-API-Key (AUTH_MODE=api_key).

    Raises:
        AuthenticationFailed / InvalidToken: no credentials or bad ones (401).
    """
    container: Container = request.app.state.container
    settings = container.settings()
    if settings.auth_mode == "api_key":
        sent = request.headers.get("x-api-key")
        if not sent:
            raise AuthenticationFailed("send your API key in the X-API-Key header")
        if not hmac.compare_digest(sent.encode(), (settings.api_key or "").encode()):
            raise InvalidToken("the API key is not valid")
        user: User = await container.accounts.api_key_user()()
        return user
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationFailed("send an access token: 'Authorization: Bearer <token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("the Authorization header must be 'Bearer <token>'")
    user = await container.accounts.current_user()(token.strip())
    return user


async def require_user(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Guard: refuse anonymous or badly authenticated callers with 401 before the handler."""
    connection.state.user = await authenticate(connection)


def provide_user(request: Request[Any, Any, Any]) -> User:
    """The user the guard authenticated."""
    user: User = request.state.user
    return user


AUTH_GUARDS = [require_user]
AUTH = {"user": Provide(provide_user, sync_to_thread=False)}
