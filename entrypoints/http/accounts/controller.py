"""/api/v1/auth: accounts and tokens."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from application.accounts.login import Login, LoginCommand
from application.accounts.logout import Logout
from application.accounts.refresh_tokens import RefreshTokens
from application.accounts.register import Register, RegisterCommand
from domain.user import User
from entrypoints.http.accounts.schemas import (
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    UserRead,
)
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import AUTHENTICATED, errors
from entrypoints.http.rate_limit import enforce_rate_limit


class AuthController(Controller):
    """Register, log in, refresh and revoke tokens, and see who you are."""

    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        operation_id="register",
        status_code=201,
        dependencies={"register": use_case("accounts.register")},
        responses=errors(
            409,
            429,
            503,
            body=True,
            codes={409: ("email_taken",), 422: ("invalid_email", "weak_password")},
        ),
    )
    async def register_user(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegisterRequest],
        register: NamedDependency[Register],
    ) -> UserRead:
        """Create an account. The email is normalised (trimmed, lower-case) and must be new;
        the password must be 8 to 128 characters."""
        await enforce_rate_limit(request, "register")
        user = await register(RegisterCommand(email=data.email, password=data.password))
        return UserRead.of(user)

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        dependencies={"login": use_case("accounts.login")},
        responses=errors(
            401, 429, 503, body=True, codes={401: ("invalid_credentials", "invalid_token")}
        ),
    )
    async def login_user(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        login: NamedDependency[Login],
    ) -> TokenResponse:
        """Exchange email and password for a bearer access token and a refresh token."""
        await enforce_rate_limit(request, "login", account=data.email)
        pair = await login(LoginCommand(email=data.email, password=data.password))
        return TokenResponse.of(pair)

    @post(
        "/refresh",
        operation_id="refresh",
        status_code=200,
        dependencies={"refresh": use_case("accounts.refresh_tokens")},
        responses=errors(
            401, 429, 503, body=True, codes={401: ("invalid_credentials", "invalid_token")}
        ),
    )
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RefreshRequest],
        refresh: NamedDependency[RefreshTokens],
    ) -> TokenResponse:
        """Trade a refresh token for a new pair. The old refresh token stops working; using
        it again revokes every token of that login."""
        await enforce_rate_limit(request, "refresh")
        return TokenResponse.of(await refresh(data.refresh_token))

    @post(
        "/logout",
        operation_id="logout",
        status_code=204,
        dependencies={"logout": use_case("accounts.logout")},
        responses=errors(401, 503, body=True, codes={401: ("invalid_token",)}),
    )
    async def logout(self, data: JSONBody[RefreshRequest], logout: NamedDependency[Logout]) -> None:
        """Revoke a refresh token. Access tokens already issued expire within minutes."""
        await logout(data.refresh_token)

    @get(
        "/me",
        operation_id="me",
        dependencies=AUTH,
        guards=AUTH_GUARDS,
        security=AUTHENTICATED,
        responses=errors(401, 503, codes={401: ("unauthorized", "invalid_token")}),
    )
    async def me(self, user: NamedDependency[User]) -> UserRead:
        """The account the token belongs to."""
        return UserRead.of(user)
