"""How books are made from uploads: the ``process_upload`` job's use case, built from the
book-making parts (speech, storage, the language model) handed in by the composition root."""

from __future__ import annotations

from typing import Any

from dependency_injector import containers, providers

from adapters.mp3_join import Mp3Joiner
from application.uploads.produce_upload import ProduceUpload, UploadLimits


def make_assembler(storage: Any, pool: Any) -> Any:
    """PyAV and mutagen in the audio child processes."""
    from adapters.audiobook.assembler import PooledAudiobookAssembler

    return PooledAudiobookAssembler(storage, pool)


class UploadMakingContainer(containers.DeclarativeContainer):
    """The job that narrates or summarises an upload into a rendition."""

    core = providers.DependenciesContainer()
    making = providers.DependenciesContainer()
    files: providers.Dependency[Any] = providers.Dependency()  # the UploadStore (covers)
    settings = core.settings

    joiner = providers.Singleton(Mp3Joiner)
    assembler = providers.Singleton(make_assembler, making.storage, making.audio_pool)
    produce_upload = providers.Factory(
        ProduceUpload,
        uow_factory=core.uow_factory,
        speak=making.speak_rendition,
        summarizer=making.summarizer,
        storage=making.storage,
        joiner=joiner,
        assembler=assembler,
        files=files,
        clock=core.clock,
        ids=core.ids,
        limits=providers.Factory(
            UploadLimits,
            speech_part_chars=settings.provided.speech_part_chars,
            chapter_concurrency=settings.provided.chapter_concurrency,
        ),
    )


__all__ = ["UploadMakingContainer"]
