"""UserRepository contract: every adapter (memory, SQLite, PostgreSQL) passes it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from domain.errors import Conflict, EmailTaken
from domain.user import User

if TYPE_CHECKING:
    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, 9, 15, 0, 999999, tzinfo=UTC)


def make_user(email: str = "ada@example.com", **changes: object) -> User:
    fields: dict[str, object] = {
        "id": uuid.uuid4(), "email": email, "password_hash": "$argon2id$v=19$...",
        "created_at": T0, **changes,
    }  # fmt: skip
    return User(**fields)  # type: ignore[arg-type]


async def test_round_trip_keeps_every_field(uow_factory: UnitOfWorkFactory) -> None:
    plus_nine = timezone(timedelta(hours=9))
    ada = make_user(created_at=datetime(2024, 5, 1, 18, 15, 0, 999999, tzinfo=plus_nine))
    grace = make_user("grace@example.com", is_active=False, scopes=("books",))
    nobody = make_user("nobody@example.com", scopes=())
    async with uow_factory() as uow:
        for user in (ada, grace, nobody):
            await uow.users.add(user)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get(ada.id) == ada
        assert await uow.users.get_by_email("grace@example.com") == grace
        assert await uow.users.get(nobody.id) == nobody
        assert await uow.users.get(uuid.uuid4()) is None
        assert await uow.users.get_by_email("missing@example.com") is None


async def test_a_taken_email_is_refused(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.users.add(make_user())
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(EmailTaken) as raised:
            await uow.users.add(make_user())
        assert isinstance(raised.value, Conflict)
        assert raised.value.code == "email_taken"


async def test_a_taken_email_is_refused_within_one_unit_of_work(
    uow_factory: UnitOfWorkFactory,
) -> None:
    first = make_user()
    async with uow_factory() as uow:
        await uow.users.add(first)
        with pytest.raises(EmailTaken):
            await uow.users.add(make_user())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.users.get_by_email(first.email) == first
