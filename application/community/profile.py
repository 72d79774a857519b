"""GetProfile and UpdateProfile: a user's first and last name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.community import Profile

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import CommunityUnitOfWorkFactory
    from application.shared.ports import Clock


class GetProfile:
    """The user's profile (empty names when never set)."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, user_id: UUID) -> Profile:
        async with self._uow() as uow:
            return await uow.profiles.get(user_id) or Profile(user_id)


@dataclass(frozen=True, slots=True)
class ProfileChange:
    """New names; None keeps the current one."""

    user_id: UUID
    first_name: str | None = None
    last_name: str | None = None


class UpdateProfile:
    """Change the user's names. Raises ValidationFailed for a name over 100 characters."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    async def __call__(self, change: ProfileChange) -> Profile:
        async with self._uow() as uow:
            current = await uow.profiles.get(change.user_id) or Profile(change.user_id)
            profile = Profile.create(
                change.user_id,
                current.first_name if change.first_name is None else change.first_name,
                current.last_name if change.last_name is None else change.last_name,
                self._clock.now(),
            )
            await uow.profiles.save(profile)
            await uow.commit()
            return profile
