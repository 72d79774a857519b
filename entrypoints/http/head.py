"""HEAD on every GET route: the GET response's status and headers, without its body.

Litestar routes HEAD only to handlers declared for it, and a HEAD handler may not return a
body, so every GET route would answer 405. This outer ASGI layer runs HEAD as GET and
sends the headers (Content-Length and Content-Type included) with an empty body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.enums import ScopeType

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer HEAD with the GET response's head."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return
        body_sent = False

        async def send_head(message: Message) -> None:
            nonlocal body_sent
            if message["type"] != "http.response.body":
                await send(message)
            elif not body_sent:
                body_sent = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_head)


__all__ = ["HeadAsGet"]
