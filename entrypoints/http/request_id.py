"""Request ids: keep the client's X-Request-ID (if sane) or make one; echo it on every response."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litestar.types import Message, Scope

HEADER = "x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_SCOPE_KEY = "bookbytes_request_id"


def request_id_of(scope: Scope) -> str:
    """The request id of this ASGI scope, chosen once and remembered in the scope."""
    existing = scope.get(_SCOPE_KEY)
    if isinstance(existing, str):
        return existing
    sent = next(
        (
            v.decode("latin-1")
            for k, v in scope.get("headers", [])
            if k.decode("latin-1").lower() == HEADER
        ),
        None,
    )
    chosen = sent if sent is not None and _SANE.match(sent) else uuid.uuid4().hex
    scope[_SCOPE_KEY] = chosen  # type: ignore[literal-required]
    return chosen


async def add_request_id_header(message: Message, scope: Scope) -> None:
    """``before_send`` hook: put X-Request-ID on the response start and bind it for logs."""
    if message["type"] == "http.response.start":
        rid = request_id_of(scope)
        headers = list(message.get("headers", []))
        headers = [(k, v) for k, v in headers if k.lower() != HEADER.encode()]
        headers.append((HEADER.encode(), rid.encode()))
        message["headers"] = headers


def bind_request_id(scope: Scope) -> str:
    """The request id, chosen now so that everything this request logs can carry it."""
    return request_id_of(scope)
