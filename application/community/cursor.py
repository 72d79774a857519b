"""Opaque, tamper-proof listing cursors: the last sort key, bound to the filters, signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from domain.errors import InvalidCursor


class CursorCodec:
    """Signs cursors with HMAC-SHA256 under ``key``; a cursor only opens for the same
    ``scope`` (the filters and sort it was made for)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the cursor key must be at least 16 bytes")
        self._key = key

    def _sign(self, payload: bytes) -> str:
        digest = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def encode(self, scope: str, key: tuple[Any, ...]) -> str:
        """A cursor for rows after ``key`` in listing ``scope``."""
        payload = json.dumps({"s": scope, "k": list(key)}, separators=(",", ":")).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sign(payload)}"

    def decode(self, scope: str, cursor: str) -> tuple[Any, ...]:
        """The key inside ``cursor``. Raises InvalidCursor when it was altered, is not a
        cursor, or was made for another scope (other filters or sort)."""
        body, _, signature = cursor.partition(".")
        try:
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError) as error:
            raise InvalidCursor("the cursor is not valid") from error
        if not signature or not hmac.compare_digest(signature, self._sign(payload)):
            raise InvalidCursor("the cursor is not valid (altered or from another server)")
        data = json.loads(payload)
        if data.get("s") != scope:
            raise InvalidCursor("the cursor was made for other filters or another sort")
        return tuple(data["k"])
