"""Logout: revoke a refresh token."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from domain.errors import InvalidToken
from domain.refresh_token import split_refresh_token

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory, TokenService
    from application.shared.ports import Clock


class Logout:
    """Revoke the refresh token (its access tokens expire on their own, within minutes).

    Logging out twice is fine; an unknown or malformed token raises InvalidToken.
    """

    def __init__(
        self, *, uow_factory: AccountsUnitOfWorkFactory, tokens: TokenService, clock: Clock
    ) -> None:
        self._uow = uow_factory
        self._tokens = tokens
        self._clock = clock

    async def __call__(self, refresh_token: str) -> None:
        token_id = split_refresh_token(refresh_token)
        digest = self._tokens.hash_refresh_token(refresh_token)
        async with self._uow() as uow:
            record = await uow.refresh_tokens.get(token_id)
            if record is None or not hmac.compare_digest(record.token_hash, digest):
                raise InvalidToken("unknown refresh token")
            await uow.refresh_tokens.save(record.revoked(self._clock.now()))
            await uow.commit()
