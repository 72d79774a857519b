"""CurrentUser: the active user an access token stands for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import InvalidToken

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory, TokenService
    from domain.user import User


class CurrentUser:
    """Verify an access token and load its user. Raises InvalidToken."""

    def __init__(self, *, uow_factory: AccountsUnitOfWorkFactory, tokens: TokenService) -> None:
        self._uow = uow_factory
        self._tokens = tokens

    async def __call__(self, token: str) -> User:
        claims = self._tokens.verify_access(token)
        async with self._uow() as uow:
            user = await uow.users.get(claims.user_id)
        if user is None or not user.is_active:
            raise InvalidToken("the token's user no longer exists or is inactive")
        return user
