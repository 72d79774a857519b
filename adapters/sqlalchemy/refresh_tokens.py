"""SqlAlchemyRefreshTokenRepository: issued refresh tokens, by hash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository
from adapters.sqlalchemy.tables.accounts import refresh_tokens
from domain.refresh_token import RefreshToken

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

_t = refresh_tokens.c


class SqlAlchemyRefreshTokenRepository(SqlRepository):
    """RefreshTokenRepository over the ``refresh_tokens`` table."""

    async def add(self, token: RefreshToken) -> None:
        await self._write(sa.insert(refresh_tokens).values(_row(token)))

    async def get(self, token_id: UUID) -> RefreshToken | None:
        result = await self._session.execute(sa.select(refresh_tokens).where(_t.id == token_id))
        row = result.mappings().first()
        return None if row is None else RefreshToken(**dict(row))

    async def save(self, token: RefreshToken) -> None:
        await self._write(self._upsert(refresh_tokens, [_row(token)], key=["id"]))

    async def revoke_family(self, family_id: UUID, now: datetime) -> int:
        statement = (
            sa.update(refresh_tokens)
            .where(_t.family_id == family_id, _t.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        result = await self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]


def _row(token: RefreshToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user_id": token.user_id,
        "family_id": token.family_id,
        "token_hash": token.token_hash,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "replaced_by": token.replaced_by,
    }
