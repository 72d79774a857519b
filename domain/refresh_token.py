"""Refresh tokens: long-lived, stored hashed, rotated on use; reuse revokes the family."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.errors import InvalidToken


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """One issued refresh token. ``family_id`` links every rotation of one login."""

    id: UUID
    user_id: UUID
    family_id: UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    replaced_by: UUID | None = None

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, not rotated away, not expired."""
        return self.revoked_at is None and now < self.expires_at

    def rotated(self, successor: UUID, now: datetime) -> RefreshToken:
        """This token, spent: replaced by ``successor``."""
        return replace(self, revoked_at=now, replaced_by=successor)

    def revoked(self, now: datetime) -> RefreshToken:
        """This token, revoked (kept as it is if it already was)."""
        return self if self.revoked_at is not None else replace(self, revoked_at=now)


def split_refresh_token(token: str) -> UUID:
    """The token id from the text ``<id hex>.<secret>`` a client sends.

    Raises:
        InvalidToken: not of that shape.
    """
    head, dot, secret = token.partition(".")
    if not dot or not secret or len(head) != 32:
        raise InvalidToken("malformed refresh token")
    try:
        return UUID(hex=head)
    except ValueError as exc:
        raise InvalidToken("malformed refresh token") from exc
