"""Login: exchange email and password for an access token and a refresh token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import InvalidCredentials, ValidationFailed
from domain.user import MAX_PASSWORD_LENGTH, normalize_email

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory, PasswordHasher
    from application.accounts.token_pairs import TokenIssuer, TokenPair

_BAD_LOGIN = "email or password is incorrect"


@dataclass(frozen=True, slots=True)
class LoginCommand:
    """Credentials."""

    email: str
    password: str


class Login:
    """Check credentials and issue a token pair. Raises InvalidCredentials.

    An unknown email costs the same password check as a known one, so the answer's
    timing does not tell whether an account exists.
    """

    def __init__(
        self, *, uow_factory: AccountsUnitOfWorkFactory, hasher: PasswordHasher, issuer: TokenIssuer
    ) -> None:
        self._uow = uow_factory
        self._hasher = hasher
        self._issuer = issuer
        self._dummy_hash: str | None = None

    async def __call__(self, command: LoginCommand) -> TokenPair:
        if len(command.password) > MAX_PASSWORD_LENGTH:
            raise InvalidCredentials(_BAD_LOGIN)
        try:
            email = normalize_email(command.email)
        except ValidationFailed:
            email = None
        user = None
        if email is not None:
            async with self._uow() as uow:
                user = await uow.users.get_by_email(email)
        if user is None:
            await self._hasher.verify(await self._dummy(), command.password)
            raise InvalidCredentials(_BAD_LOGIN)
        if not await self._hasher.verify(user.password_hash, command.password):
            raise InvalidCredentials(_BAD_LOGIN)
        if not user.is_active:
            raise InvalidCredentials(_BAD_LOGIN)
        async with self._uow() as uow:
            pair, _ = await self._issuer.issue(uow, user)
            await uow.commit()
        return pair

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self._hasher.hash("not a real password, for timing")
        return self._dummy_hash
