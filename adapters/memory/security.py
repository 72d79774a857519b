"""Fast, deterministic stand-ins for the password hasher and token service (tests only)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from application.accounts.ports import IssuedToken, TokenClaims
from domain.errors import InvalidToken

if TYPE_CHECKING:
    from uuid import UUID

    from domain.user import User


class FakePasswordHasher:
    """Salted SHA-256: quick for tests, never for production (use Argon2PasswordHasher)."""

    async def hash(self, password: str) -> str:
        salt = secrets.token_hex(8)
        digest = hashlib.sha256((salt + password).encode()).hexdigest()
        return f"fake${salt}${digest}"

    async def verify(self, password_hash: str, password: str) -> bool:
        try:
            _, salt, digest = password_hash.split("$")
        except ValueError:
            return False
        expected = hashlib.sha256((salt + password).encode()).hexdigest()
        return hmac.compare_digest(expected, digest)


@dataclass
class FakeTokenService:
    """Opaque random tokens remembered in a dict; ``revoke`` forgets one."""

    ttl_s: int = 900
    issued: dict[str, TokenClaims] = field(default_factory=dict)

    def issue_access(self, user: User) -> IssuedToken:
        token = secrets.token_urlsafe(24)
        self.issued[token] = TokenClaims(user.id, user.scopes)
        return IssuedToken(token, self.ttl_s)

    def verify_access(self, token: str) -> TokenClaims:
        claims = self.issued.get(token)
        if claims is None:
            raise InvalidToken("unknown token")
        return claims

    def new_refresh_token(self, token_id: UUID) -> str:
        return f"{token_id.hex}.{secrets.token_urlsafe(16)}"

    def hash_refresh_token(self, token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def revoke_user(self, user_id: UUID) -> None:
        """Forget every token of a user."""
        self.issued = {t: c for t, c in self.issued.items() if c.user_id != user_id}
