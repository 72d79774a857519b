"""In-memory repositories of the accounts feature: users and refresh tokens."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from adapters.memory.database import MemoryRepository
from domain.errors import Conflict, EmailTaken

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from adapters.memory.database import MemoryDatabase, Staged
    from domain.refresh_token import RefreshToken
    from domain.user import User


class MemoryUserRepository(MemoryRepository):
    """UserRepository over dicts."""

    async def get(self, user_id: UUID) -> User | None:
        user: User | None = self._rows("users").get(user_id)
        return user

    async def get_by_email(self, email: str) -> User | None:
        return next((u for u in self._rows("users").values() if u.email == email), None)

    async def add(self, user: User) -> None:
        if await self.get_by_email(user.email) is not None:
            raise EmailTaken(f"an account with {user.email} already exists")
        self._stage("users", user.id, user)

        def unique(db: MemoryDatabase) -> None:
            if any(u.email == user.email and u.id != user.id for u in db.table("users").values()):
                raise EmailTaken(f"an account with {user.email} already exists")

        self._check_at_commit(unique)


class MemoryRefreshTokenRepository(MemoryRepository):
    """RefreshTokenRepository over dicts."""

    async def add(self, token: RefreshToken) -> None:
        if token.id in self._rows("refresh_tokens"):
            raise Conflict(f"refresh token {token.id} already exists")
        self._stage("refresh_tokens", token.id, token)

    async def get(self, token_id: UUID) -> RefreshToken | None:
        token: RefreshToken | None = self._rows("refresh_tokens").get(token_id)
        return token

    async def save(self, token: RefreshToken) -> None:
        self._stage("refresh_tokens", token.id, token)

    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        live = [
            t
            for t in self._rows("refresh_tokens").values()
            if t.family_id == family_id and t.revoked_at is None
        ]
        for token in live:
            self._stage("refresh_tokens", token.id, token.revoked(now))
        return len(live)


class AccountsRepositories:
    """The accounts feature's repositories, for a memory unit of work."""

    _db: MemoryDatabase
    _staged: Staged

    @cached_property
    def users(self) -> MemoryUserRepository:
        return MemoryUserRepository(self._db, self._staged)

    @cached_property
    def refresh_tokens(self) -> MemoryRefreshTokenRepository:
        return MemoryRefreshTokenRepository(self._db, self._staged)


__all__ = ["AccountsRepositories", "MemoryRefreshTokenRepository", "MemoryUserRepository"]
