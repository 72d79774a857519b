"""RefreshTokenRepository contract: memory, SQLite and PostgreSQL agree."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from domain.refresh_token import RefreshToken

if TYPE_CHECKING:
    from uuid import UUID

    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2026, 3, 1, 9, 30, 0, 123000, tzinfo=UTC)


def make_token(user_id: UUID, family_id: UUID | None = None) -> RefreshToken:
    token_id = uuid.uuid4()
    return RefreshToken(
        id=token_id,
        user_id=user_id,
        family_id=family_id or token_id,
        token_hash=uuid.uuid4().hex * 2,
        created_at=T0,
        expires_at=T0 + timedelta(days=14),
    )


async def test_tokens_round_trip(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> None:
    token = make_token(owner_id)
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(token)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.get(token.id) == token
        assert await uow.refresh_tokens.get(uuid.uuid4()) is None


async def test_rotation_is_saved(uow_factory: UnitOfWorkFactory, owner_id: UUID) -> None:
    first = make_token(owner_id)
    second = make_token(owner_id, family_id=first.family_id)
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(first)
        await uow.refresh_tokens.add(second)
        await uow.refresh_tokens.save(first.rotated(second.id, T0 + timedelta(minutes=1)))
        await uow.commit()
    async with uow_factory() as uow:
        stored = await uow.refresh_tokens.get(first.id)
        assert stored is not None
        assert stored.replaced_by == second.id
        assert stored.revoked_at == T0 + timedelta(minutes=1)
        assert not stored.is_usable(T0 + timedelta(minutes=2))


async def test_revoking_a_family_spares_other_families(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    first = make_token(owner_id)
    sibling = make_token(owner_id, family_id=first.family_id)
    stranger = make_token(owner_id)
    later = T0 + timedelta(hours=1)
    async with uow_factory() as uow:
        for token in (first, sibling, stranger):
            await uow.refresh_tokens.add(token)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.revoke_family(first.family_id, later) == 2
        await uow.commit()
    async with uow_factory() as uow:
        for token in (first, sibling):
            stored = await uow.refresh_tokens.get(token.id)
            assert stored is not None
            assert stored.revoked_at == later
        other = await uow.refresh_tokens.get(stranger.id)
        assert other is not None
        assert other.revoked_at is None
        assert await uow.refresh_tokens.revoke_family(first.family_id, later) == 0


async def test_uncommitted_tokens_are_rolled_back(
    uow_factory: UnitOfWorkFactory, owner_id: UUID
) -> None:
    token = make_token(owner_id)
    async with uow_factory() as uow:
        await uow.refresh_tokens.add(token)
    async with uow_factory() as uow:
        assert await uow.refresh_tokens.get(token.id) is None
