"""Bodies of /api/v1/auth."""

from __future__ import annotations

from typing import Annotated

import msgspec

from application.accounts.token_pairs import TokenPair
from domain.user import User
from entrypoints.http.schemas import Moment, Schema, UserId, ex

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ada@example.com"])]
Password = Annotated[
    str, msgspec.Meta(min_length=1, max_length=1024, examples=["correct horse battery"])
]
NewPassword = Annotated[
    str,
    msgspec.Meta(
        max_length=1024,
        # Documented, not enforced by the schema: the domain answers 422 weak_password.
        extra_json_schema={
            "description": "8 to 128 characters, not only spaces",
            "examples": ["correct horse battery"],
            "extra": {"minLength": 8, "maxLength": 128},
        },
    ),
]


class RegisterRequest(Schema):
    """A new account."""

    email: Email
    password: NewPassword


class LoginRequest(Schema):
    """Credentials."""

    email: Email
    password: Password


class RefreshRequest(Schema):
    """A refresh token to rotate or revoke."""

    refresh_token: Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=512, examples=["0f8c2d5e9a7b4c3d8e1f2a3b4c5d6e7f.Zm9vYmFy..."]
        ),
    ]


class TokenResponse(Schema):
    """A bearer access token (``expires_in`` seconds) and the refresh token that renews it."""

    access_token: Annotated[str, ex("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi....")]
    refresh_token: Annotated[str, ex("0f8c2d5e9a7b4c3d8e1f2a3b4c5d6e7f.Zm9vYmFy...")]
    expires_in: Annotated[int, ex(900)]
    token_type: Annotated[str, ex("bearer")] = "bearer"  # noqa: S105 - a token type, not a secret

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            access_token=pair.access.token,
            refresh_token=pair.refresh_token,
            expires_in=pair.access.expires_in,
        )


class UserRead(Schema):
    """An account, as its owner sees it."""

    id: UserId
    email: Annotated[str, ex("ada@example.com")]
    scopes: Annotated[list[str], ex(["books", "jobs"])]
    created_at: Moment

    @classmethod
    def of(cls, user: User) -> UserRead:
        return cls(
            id=user.id, email=user.email, scopes=list(user.scopes), created_at=user.created_at
        )
