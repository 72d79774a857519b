"""Security adapters: argon2id password hashing and JWT access tokens."""

from adapters.security.jwt_tokens import JwtTokenService
from adapters.security.passwords import Argon2PasswordHasher

__all__ = ["Argon2PasswordHasher", "JwtTokenService"]
