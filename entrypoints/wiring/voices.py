"""The voices feature: list the configured engines' voices and preview one."""

from __future__ import annotations

from dependency_injector import containers, providers

from application.books.list_voices import ListVoices
from application.books.preview_voice import PreviewVoice


class VoicesContainer(containers.DeclarativeContainer):
    """Voice listing and previews, over the book-making container's speech engines."""

    making = providers.DependenciesContainer()

    list_voices = providers.Factory(ListVoices, engines=making.speech_engines)
    preview_voice = providers.Factory(PreviewVoice, engines=making.speech_engines)


__all__ = ["VoicesContainer"]
