"""LocalUser: the one account requests act as in API-key mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import EmailTaken
from domain.user import User

if TYPE_CHECKING:
    from application.accounts.ports import AccountsUnitOfWorkFactory
    from application.shared.ports import Clock, IdGenerator

LOCAL_EMAIL = "local@bookbytes.invalid"
NO_PASSWORD = "!"  # noqa: S105 - matches no password: this account cannot log in


class LocalUser:
    """Return the local account, creating it on first use."""

    def __init__(
        self, *, uow_factory: AccountsUnitOfWorkFactory, clock: Clock, ids: IdGenerator
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._user: User | None = None

    async def __call__(self) -> User:
        if self._user is not None:
            return self._user
        async with self._uow() as uow:
            user = await uow.users.get_by_email(LOCAL_EMAIL)
            if user is None:
                user = User(self._ids.new_id(), LOCAL_EMAIL, NO_PASSWORD, self._clock.now())
                try:
                    await uow.users.add(user)
                    await uow.commit()
                except EmailTaken:
                    await uow.rollback()
                    user = await uow.users.get_by_email(LOCAL_EMAIL)
        if user is None:
            raise RuntimeError("the local user vanished")
        self._user = user
        return user
