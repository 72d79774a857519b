"""SpeechEngineRegistry: the speech engines this server has configured, by provider name.

Engines are built lazily from named builders, only when first used. The default engine
(TTS_PROVIDER) speaks through the TTS_FALLBACK engines when it fails upstream; an engine
asked for by name in a request speaks alone. ``offered`` names more engines requests may
choose (those whose credentials are configured).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.fallback_speech import FallbackSpeechSynthesizer
from domain.errors import InvalidProvider

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from application.books.ports import SpeechSynthesizer


class SpeechEngineRegistry:
    """SpeechEngines over ``builders`` (name -> a function building that engine)."""

    def __init__(
        self,
        builders: Mapping[str, Callable[[], SpeechSynthesizer]],
        *,
        default: str,
        fallbacks: Sequence[str] = (),
        offered: Sequence[str] = (),
    ) -> None:
        names = list(dict.fromkeys((default, *fallbacks, *offered)))
        unknown = [n for n in names if n not in builders]
        if unknown:
            raise ValueError(f"no speech engine called {', '.join(unknown)}")
        self._builders = builders
        self._default = default
        self._fallbacks = [n for n in dict.fromkeys(fallbacks) if n != default]
        self._names = names
        self._engines: dict[str, SpeechSynthesizer] = {}

    @property
    def default_provider(self) -> str:
        """The engine used when a request names none (TTS_PROVIDER)."""
        return self._default

    def names(self) -> Sequence[str]:
        """Every configured provider name, the default first."""
        return list(self._names)

    def engine(self, provider: str) -> SpeechSynthesizer:
        """The engine called ``provider``. Raises InvalidProvider when not configured."""
        if provider not in self._names:
            raise InvalidProvider(
                f"{provider[:32]!r} is not a speech engine of this server: use one of "
                f"{', '.join(self._names)}"
            )
        engine = self._engines.get(provider)
        if engine is None:
            engine = self._builders[provider]()
            if provider == self._default and self._fallbacks:
                chain = [engine, *(self._builders[n]() for n in self._fallbacks)]
                engine = FallbackSpeechSynthesizer(chain)
            self._engines[provider] = engine
        return engine


__all__ = ["SpeechEngineRegistry"]
