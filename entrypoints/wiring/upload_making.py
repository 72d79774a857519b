"""How books are made from uploads: the ``process_upload`` job's use case, built from the
book-making parts (speech, storage, the language model) handed in by the composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from adapters.mp3_join import Mp3Joiner
from application.uploads.produce_upload import ProduceUpload, UploadLimits

if TYPE_CHECKING:
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings


def make_assembler(settings: Settings, storage: Any, closer: AsyncCloser) -> Any:
    """PyAV and mutagen in one child process (encoding is CPU-bound: one book at a time)."""
    from adapters.audiobook.assembler import PooledAudiobookAssembler
    from adapters.native.pool import ChildProcessPool

    pool = ChildProcessPool("audiobook encoder", max_workers=1, timeout_s=3600.0)
    closer.register("audiobook encoder child process", pool.aclose)
    return PooledAudiobookAssembler(storage, pool)


class UploadMakingContainer(containers.DeclarativeContainer):
    """The job that narrates or summarises an upload into a rendition."""

    core = providers.DependenciesContainer()
    making = providers.DependenciesContainer()
    files: providers.Dependency[Any] = providers.Dependency()  # the UploadStore (covers)
    settings = core.settings

    joiner = providers.Singleton(Mp3Joiner)
    assembler = providers.Singleton(make_assembler, settings, making.storage, core.closer)
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
