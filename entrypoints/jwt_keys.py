"""The JWT signing key: configured, or (embedded mode only) generated once and kept on disk."""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING

import structlog

from entrypoints.settings import SettingsError

if TYPE_CHECKING:
    from entrypoints.settings import Settings

log = structlog.get_logger(__name__)

SECRET_FILE = "jwt_secret.key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_CHARS = 32


def jwt_keys(settings: Settings) -> tuple[str, str]:
    """(signing key, verifying key) for the configured algorithm.

    Raises:
        SettingsError: no usable key, outside the embedded mode.
    """
    if settings.jwt_algorithm.startswith("HS"):
        secret = settings.jwt_secret_key or _embedded_secret(settings)
        return secret, secret
    if settings.jwt_private_key_file is None or settings.jwt_public_key_file is None:
        raise SettingsError(
            "JWT_PRIVATE_KEY_FILE",
            f"JWT_ALGORITHM={settings.jwt_algorithm} needs JWT_PRIVATE_KEY_FILE and "
            "JWT_PUBLIC_KEY_FILE",
        )
    try:
        private = settings.jwt_private_key_file.read_text()
        public = settings.jwt_public_key_file.read_text()
    except OSError as exc:
        raise SettingsError("JWT_PRIVATE_KEY_FILE", f"cannot read a JWT key file: {exc}") from exc
    return private, public


def _embedded_secret(settings: Settings) -> str:
    if not settings.embedded:
        raise SettingsError(
            "JWT_SECRET_KEY",
            "JWT_SECRET_KEY must be set (at least 32 characters) outside the embedded mode; "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"',
        )
    path = settings.data_dir / SECRET_FILE
    if path.exists():
        secret = path.read_text().strip()
        if len(secret) >= MIN_SECRET_CHARS:
            return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret)
    log.warning("generated a JWT secret for the embedded mode", path=str(path))
    return secret
