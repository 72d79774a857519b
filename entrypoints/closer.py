"""AsyncCloser: remembers what must be closed at shutdown, closes it in reverse order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

log = structlog.get_logger(__name__)


class AsyncCloser:
    """Collects async close callbacks; ``aclose`` runs them last-in first-out, once."""

    def __init__(self) -> None:
        self._callbacks: list[tuple[str, Callable[[], Awaitable[object]]]] = []

    def register(self, name: str, callback: Callable[[], Awaitable[object]]) -> None:
        """Close ``name`` with ``callback`` at shutdown."""
        self._callbacks.append((name, callback))

    async def aclose(self) -> None:
        """Run every callback; one failing does not stop the others."""
        while self._callbacks:
            name, callback = self._callbacks.pop()
            try:
                await callback()
            except Exception:
                log.exception("closing failed", resource=name)
