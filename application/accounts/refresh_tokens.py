"""RefreshTokens: trade a refresh token for a new pair (rotation with reuse detection)."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from domain.errors import InvalidToken
from domain.refresh_token import split_refresh_token

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory
    from application.accounts.token_pairs import TokenIssuer, TokenPair


class RefreshTokens:
    """Rotate a refresh token: the old one stops working and a new pair is issued.

    Presenting a token that was already rotated or revoked means it leaked: every token
    of its family is revoked, so the thief and the owner both have to log in again.
    Raises InvalidToken.
    """

    def __init__(self, *, uow_factory: AccountsUnitOfWorkFactory, issuer: TokenIssuer) -> None:
        self._uow = uow_factory
        self._issuer = issuer

    async def __call__(self, refresh_token: str) -> TokenPair:
        token_id = split_refresh_token(refresh_token)
        now = self._issuer.clock.now()
        digest = self._issuer.tokens.hash_refresh_token(refresh_token)
        async with self._uow() as uow:
            record = await uow.refresh_tokens.get(token_id)
            if record is None or not hmac.compare_digest(record.token_hash, digest):
                raise InvalidToken("unknown refresh token")
            if record.revoked_at is not None:
                await uow.refresh_tokens.revoke_family(record.family_id, now)
                await uow.commit()
                raise InvalidToken("refresh token reused: every session of this login is revoked")
            if not record.is_usable(now):
                raise InvalidToken("refresh token expired")
            user = await uow.users.get(record.user_id)
            if user is None or not user.is_active:
                raise InvalidToken("the token's user no longer exists or is inactive")
            pair, successor = await self._issuer.issue(uow, user, family_id=record.family_id)
            await uow.refresh_tokens.save(record.rotated(successor.id, now))
            await uow.commit()
        return pair
