"""Ports of the accounts feature: users, refresh tokens, passwords, access tokens, limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from application.shared.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from domain.refresh_token import RefreshToken
    from domain.user import User


class UserRepository(Protocol):
    """Accounts."""

    async def get(self, user_id: UUID) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def add(self, user: User) -> None:
        """Insert a user. Raises EmailTaken when the email is already used."""
        ...


class RefreshTokenRepository(Protocol):
    """Issued refresh tokens (hashed)."""

    async def add(self, token: RefreshToken) -> None: ...
    async def get(self, token_id: UUID) -> RefreshToken | None: ...
    async def save(self, token: RefreshToken) -> None: ...
    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        """Revoke every token of a family still unrevoked; returns how many."""
        ...


class PasswordHasher(Protocol):
    """Hashes and checks passwords (off the event loop)."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A signed token and how many seconds it lives."""

    token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified access token says."""

    user_id: UUID
    scopes: tuple[str, ...]


class TokenService(Protocol):
    """Issues and verifies access tokens; makes and hashes refresh-token secrets."""

    def issue_access(self, user: User) -> IssuedToken: ...
    def verify_access(self, token: str) -> TokenClaims:
        """Raises InvalidToken for anything but a valid, current access token."""
        ...

    def new_refresh_token(self, token_id: UUID) -> str:
        """A fresh, unguessable refresh token text ``<id hex>.<secret>``."""
        ...

    def hash_refresh_token(self, token: str) -> str:
        """The digest stored for a refresh token (the token itself is never stored)."""
        ...


class RateLimiter(Protocol):
    """Counts attempts per key in fixed windows."""

    async def hit(self, key: str, *, limit: int, window_s: int) -> int | None:
        """Count one attempt; None when within ``limit``, else seconds until it resets."""
        ...


class AccountsUnitOfWork(UnitOfWork, Protocol):
    """A transaction over accounts and their refresh tokens."""

    @property
    def users(self) -> UserRepository: ...
    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...


AccountsUnitOfWorkFactory = UnitOfWorkFactory[AccountsUnitOfWork]

__all__ = [
    "AccountsUnitOfWork",
    "AccountsUnitOfWorkFactory",
    "IssuedToken",
    "PasswordHasher",
    "RateLimiter",
    "RefreshTokenRepository",
    "TokenClaims",
    "TokenService",
    "UserRepository",
]
