"""/api/v1/auth: accounts and tokens."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from application.login import Login, LoginCommand
from application.register import Register, RegisterCommand
from domain.user import User
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import errors
from entrypoints.http.schemas import LoginRequest, RegisterRequest, TokenResponse, UserRead


class AuthController(Controller):
    """Register, log in, and see who you are."""

    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        operation_id="register",
        status_code=201,
        dependencies={"register": use_case("register")},
        responses=errors(409, 422),
    )
    async def register_user(
        self, data: JSONBody[RegisterRequest], register: NamedDependency[Register]
    ) -> UserRead:
        """Create an account. The email is normalised (trimmed, lower-case) and must be new;
        the password must be 8 to 128 characters."""
        user = await register(RegisterCommand(email=data.email, password=data.password))
        return UserRead.of(user)

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        dependencies={"login": use_case("login")},
        responses=errors(401, 422),
    )
    async def login_user(
        self, data: JSONBody[LoginRequest], login: NamedDependency[Login]
    ) -> TokenResponse:
        """Exchange email and password for a bearer access token."""
        token = await login(LoginCommand(email=data.email, password=data.password))
        return TokenResponse(access_token=token.token, expires_in=token.expires_in)

    @get(
        "/me",
        operation_id="me",
        dependencies=AUTH,
        guards=AUTH_GUARDS,
        responses=errors(401),
    )
    async def me(self, user: NamedDependency[User]) -> UserRead:
        """The account the token belongs to."""
        return UserRead.of(user)
