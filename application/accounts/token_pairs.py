"""Issuing an access token with a refresh token: shared by Login and RefreshTokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from domain.refresh_token import RefreshToken

if TYPE_CHECKING:
    from uuid import UUID

    from application.accounts.ports import AccountsUnitOfWork, IssuedToken, TokenService
    from application.shared.ports import Clock, IdGenerator
    from domain.user import User

DEFAULT_REFRESH_TTL_S = 14 * 24 * 3600


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A short-lived access token and the refresh token that renews it."""

    access: IssuedToken
    refresh_token: str


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    """Makes token pairs; the refresh token's hash is added to the unit of work (uncommitted)."""

    tokens: TokenService
    clock: Clock
    ids: IdGenerator
    refresh_ttl_s: int = DEFAULT_REFRESH_TTL_S

    async def issue(
        self, uow: AccountsUnitOfWork, user: User, family_id: UUID | None = None
    ) -> tuple[TokenPair, RefreshToken]:
        """A new pair for ``user``, continuing ``family_id`` (a rotation) or starting one."""
        now = self.clock.now()
        token_id = self.ids.new_id()
        text = self.tokens.new_refresh_token(token_id)
        record = RefreshToken(
            id=token_id,
            user_id=user.id,
            family_id=family_id or token_id,
            token_hash=self.tokens.hash_refresh_token(text),
            created_at=now,
            expires_at=now + timedelta(seconds=self.refresh_ttl_s),
        )
        await uow.refresh_tokens.add(record)
        return TokenPair(self.tokens.issue_access(user), text), record
