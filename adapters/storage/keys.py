"""Storage keys (relative, slash-separated paths that never leave the root) and byte ranges."""

from __future__ import annotations

from domain.errors import ValidationFailed

__all__ = ["CHUNK_SIZE", "MAX_KEY_LENGTH", "validate_key", "validate_range"]

MAX_KEY_LENGTH = 1024  # S3's limit, in UTF-8 bytes
CHUNK_SIZE = 64 * 1024  # bytes per streamed chunk


def validate_key(key: str) -> str:
    """Return ``key`` unchanged if it is a safe storage key.

    A key is one or more non-empty segments joined by ``/``: no leading ``/``, no ``.`` or
    ``..`` segment, no backslash, no control character (NUL included), at most 1024 bytes.

    Raises:
        ValidationFailed: the key breaks one of those rules.
    """
    if not isinstance(key, str) or not key:
        raise ValidationFailed("Storage key must be a non-empty string.", details={"key": key})
    reason = _problem(key)
    if reason:
        raise ValidationFailed(f"Storage key {key!r} is not allowed: {reason}.")
    return key


def _problem(key: str) -> str | None:
    if len(key.encode("utf-8", "surrogatepass")) > MAX_KEY_LENGTH:
        return f"longer than {MAX_KEY_LENGTH} bytes"
    if key.startswith("/"):
        return "absolute"
    if "\\" in key:
        return "backslash"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        return "control character"
    if any(segment in ("", ".", "..") for segment in key.split("/")):
        return "empty, '.' or '..' segment"
    return None


def validate_range(start: int, end: int | None) -> None:
    """Check a byte range ``start``..``end`` (inclusive; None = to the end).

    A range past the end of the data is not an error: it yields fewer bytes, or none.

    Raises:
        ValidationFailed: ``start`` is negative or ``end`` is before ``start``.
    """
    if start < 0 or (end is not None and end < start):
        raise ValidationFailed(f"Byte range {start}-{end if end is not None else ''} is invalid.")
