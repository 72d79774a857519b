"""ListVoices: every voice of every speech engine this server has configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from application.books.ports import SpeechEngines
    from domain.speech import Voice


class ListVoices:
    """The voices of the configured engines, the default engine's first."""

    def __init__(self, *, engines: SpeechEngines) -> None:
        self._engines = engines

    async def __call__(self, provider: str | None = None) -> list[Voice]:
        """Every engine's voices, or only ``provider``'s. Raises InvalidProvider."""
        names = [provider] if provider else self._engines.names()
        return [v for name in names for v in self._engines.engine(name).voices()]


__all__ = ["ListVoices"]
