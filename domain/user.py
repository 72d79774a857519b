"""Users, and the rules for their emails and passwords."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.errors import InvalidEmail, WeakPassword

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_EMAIL_LENGTH = 254
DEFAULT_SCOPES: tuple[str, ...] = ("books", "jobs")


def normalize_email(text: str) -> str:
    """Normalise an email for storage and lookup (NFKC, trimmed, lower-case).

    Raises:
        InvalidEmail: not of the form local@domain, or too long.
    """
    email = unicodedata.normalize("NFKC", text).strip().lower()
    local, at, domain = email.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or "." not in domain.strip(".")
        or any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in email)
        or len(email) > MAX_EMAIL_LENGTH
    ):
        raise InvalidEmail("email must look like name@example.com (at most 254 characters)")
    return email


def check_password(password: str) -> None:
    """Enforce the password policy.

    Raises:
        WeakPassword: shorter than 8 or longer than 128 characters, or only whitespace.
    """
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise WeakPassword(
            f"password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long"
        )
    if not password.strip():
        raise WeakPassword("password must not be only whitespace")


@dataclass(frozen=True, slots=True)
class User:
    """An account."""

    id: UUID
    email: str
    password_hash: str
    created_at: datetime
    is_active: bool = True
    scopes: tuple[str, ...] = DEFAULT_SCOPES
