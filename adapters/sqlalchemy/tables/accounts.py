"""Tables of the accounts feature: users and refresh tokens.

The names used in ``Mapped[...]`` annotations are imported at runtime on purpose:
SQLAlchemy resolves them when the classes are built, even with postponed annotations.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from adapters.sqlalchemy.tables.common import Base, UtcDateTime, json_type, now_default


class UserRow(Base):
    """An account."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(sa.Boolean)
    scopes: Mapped[list[str]] = mapped_column(json_type())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=now_default(), onupdate=sa.func.now()
    )


class RefreshTokenRow(Base):
    """An issued refresh token, stored as a hash; rotations share a family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (sa.Index("ix_refresh_tokens_family_id", "family_id"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    token_hash: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    replaced_by: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


users = cast("sa.Table", UserRow.__table__)
refresh_tokens = cast("sa.Table", RefreshTokenRow.__table__)
