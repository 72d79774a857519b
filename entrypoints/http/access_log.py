"""ASGI middleware: bind the request id for logs and write one access line per request."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import structlog
from litestar.enums import ScopeType

from entrypoints.http.request_id import bind_request_id

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("bookbytes.access")


class AccessLogMiddleware:
    """Outermost layer: every HTTP request gets a request id and an access log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=bind_request_id(scope)):
            try:
                await self.app(scope, receive, send_wrapper)
            finally:
                path = scope["path"]
                if not path.startswith("/health"):
                    log.info(
                        "request",
                        method=scope.get("method"),
                        path=path,
                        status=status,
                        duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    )
