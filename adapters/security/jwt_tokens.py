"""JwtTokenService: signed JWT access tokens with pyjwt."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

import jwt

from application.accounts.ports import IssuedToken, TokenClaims
from domain.errors import InvalidToken

if TYPE_CHECKING:
    from application.shared.ports import Clock
    from domain.user import User

_REQUIRED = ["sub", "exp", "iat", "iss", "aud", "jti", "type"]


class JwtTokenService:
    """TokenService issuing short-lived access JWTs (sub, exp, iat, scope, jti, iss, aud).

    One algorithm is configured and only that one is accepted on verification.
    ``signing_key`` and ``verify_key`` are the same secret for HS256, or a private and a
    public key (PEM) for RS256/EdDSA.
    """

    def __init__(
        self,
        *,
        signing_key: str,
        verify_key: str | None = None,
        algorithm: str = "HS256",
        issuer: str = "bookbytes",
        audience: str = "bookbytes-api",
        access_ttl_s: int = 900,
        leeway_s: int = 10,
        clock: Clock,
    ) -> None:
        self._signing_key = signing_key
        self._verify_key = verify_key or signing_key
        self._algorithm = algorithm
        self._issuer = issuer
        self._audience = audience
        self._ttl = access_ttl_s
        self._leeway = leeway_s
        self._clock = clock

    def issue_access(self, user: User) -> IssuedToken:
        now = self._clock.now()
        claims = {
            "sub": str(user.id),
            "iat": now,
            "nbf": now,
            "exp": now + timedelta(seconds=self._ttl),
            "iss": self._issuer,
            "aud": self._audience,
            "jti": uuid.uuid4().hex,
            "scope": " ".join(user.scopes),
            "type": "access",
        }
        token = jwt.encode(claims, self._signing_key, algorithm=self._algorithm)
        return IssuedToken(token, self._ttl)

    def new_refresh_token(self, token_id: uuid.UUID) -> str:
        """``<id hex>.<256 random bits>``: opaque, never a JWT, so it can't pass as access."""
        return f"{token_id.hex}.{secrets.token_urlsafe(32)}"

    def hash_refresh_token(self, token: str) -> str:
        """SHA-256: enough for a 256-bit random secret (no dictionary to attack)."""
        return hashlib.sha256(token.encode()).hexdigest()

    def verify_access(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._verify_key,
                algorithms=[self._algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED},
            )
            if claims.get("type") != "access":
                raise InvalidToken("not an access token")
            user_id = uuid.UUID(str(claims["sub"]))
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise InvalidToken(f"invalid access token: {exc}") from exc
        return TokenClaims(user_id, tuple(str(claims.get("scope", "")).split()))
