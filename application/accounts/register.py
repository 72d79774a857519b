"""Register: create an account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.user import User, check_password, normalize_email

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory, PasswordHasher
    from application.shared.ports import Clock, IdGenerator


@dataclass(frozen=True, slots=True)
class RegisterCommand:
    """A new account's email and password."""

    email: str
    password: str


class Register:
    """Create a user. Raises InvalidEmail, WeakPassword or EmailTaken."""

    def __init__(
        self,
        *,
        uow_factory: AccountsUnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow_factory
        self._hasher = hasher
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: RegisterCommand) -> User:
        email = normalize_email(command.email)
        check_password(command.password)
        password_hash = await self._hasher.hash(command.password)
        user = User(
            id=self._ids.new_id(),
            email=email,
            password_hash=password_hash,
            created_at=self._clock.now(),
        )
        async with self._uow() as uow:
            await uow.users.add(user)
            await uow.commit()
        return user
