"""SqlAlchemyUserRepository: accounts, unique by email."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository, unique_rule
from adapters.sqlalchemy.tables.accounts import users
from domain.errors import EmailTaken
from domain.user import User

if TYPE_CHECKING:
    from uuid import UUID

unique_rule(
    "uq_users_email", "users.email", EmailTaken("an account with that email already exists")
)


class SqlAlchemyUserRepository(SqlRepository):
    """UserRepository over the ``users`` table."""

    async def get(self, user_id: UUID) -> User | None:
        return await self._one(sa.select(users).where(users.c.id == user_id))

    async def get_by_email(self, email: str) -> User | None:
        return await self._one(sa.select(users).where(users.c.email == email))

    async def add(self, user: User) -> None:
        """Insert a user. Raises EmailTaken when the email is already used."""
        statement = sa.insert(users).values(
            id=user.id,
            email=user.email,
            password_hash=user.password_hash,
            is_active=user.is_active,
            scopes=list(user.scopes),
            created_at=user.created_at,
        )
        await self._write(statement)

    async def _one(self, query: sa.Select[Any]) -> User | None:
        row = (await self._session.execute(query)).mappings().first()
        if row is None:
            return None
        return User(
            id=row["id"],
            email=row["email"],
            password_hash=row["password_hash"],
            created_at=row["created_at"],
            is_active=row["is_active"],
            scopes=tuple(row["scopes"]),
        )
