"""The books feature: how books are made (metadata, language model, speech, storage) and
the use cases that submit, make and read them.

Adapters are picked from the settings by name: a ``Selector`` where one adapter serves
(metadata, planner, summarizer, storage), a dict of named builders where several may
(the speech engines a request can choose from).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.memory.speech import FakeSpeechSynthesizer, KeptLoudness
from adapters.resilience import RetryPolicy
from adapters.speech_engines import SpeechEngineRegistry
from application.books.estimate_book import EstimateBook
from application.books.find_book_by_isbn import FindBookByIsbn
from application.books.get_book import GetBook
from application.books.get_chapter_audio import GetChapterAudio
from application.books.list_chapters import GetChapter, ListChapters
from application.books.process_book import ProcessBook
from application.books.produce_book import ProduceBook, ProductionLimits
from application.books.speak_rendition import SpeakRendition
from entrypoints.wiring import speech

if TYPE_CHECKING:
    from application.books.ports import BookMetadataSource, SpeechSynthesizer
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings


# --- the outside world, each SDK imported only when its adapter is built ------------------


def make_openlibrary(settings: Settings, client: Any, policy: RetryPolicy) -> BookMetadataSource:
    from adapters.openlibrary.source import OpenLibraryBookMetadataSource

    return OpenLibraryBookMetadataSource(client, settings.openlibrary_base_url, policy)


def make_googlebooks(settings: Settings, client: Any, policy: RetryPolicy) -> BookMetadataSource:
    from adapters.googlebooks.source import GoogleBooksBookMetadataSource

    return GoogleBooksBookMetadataSource(
        client, settings.google_books_base_url, settings.google_books_api_key, policy
    )


def make_chain(*sources: BookMetadataSource) -> BookMetadataSource:
    from adapters.chain_metadata import ChainBookMetadataSource

    return ChainBookMetadataSource(sources)


def make_planner(settings: Settings, client: Any, policy: RetryPolicy) -> Any:
    from adapters.openai.planner import OpenAIChapterPlanner

    return OpenAIChapterPlanner(client, settings.openai_model, settings.max_chapters, policy)


def make_summarizer(settings: Settings, client: Any, policy: RetryPolicy) -> Any:
    from adapters.openai.summarizer import OpenAISummarizer

    return OpenAISummarizer(client, settings.openai_model, settings.summary_words, policy)


def make_audio_pool(settings: Settings, closer: AsyncCloser) -> Any:
    """Child processes for audio work in native code (loudness, whole-book encoding)."""
    from adapters.native.pool import ChildProcessPool

    pool = ChildProcessPool(
        "audio", max_workers=settings.audio_processes
    )  # each caller sets its call limit
    closer.register("audio child processes", pool.aclose)
    return pool


def make_loudness(settings: Settings, pool: Any) -> Any:
    """Real normalisation, except for the fake (silent) speech of the memory engine."""
    if set(settings.tts_engines) == {"memory"}:
        return KeptLoudness()
    from adapters.loudness import PooledLoudnessNormalizer

    return PooledLoudnessNormalizer(pool)


def make_gtts(settings: Settings, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.gtts import GttsSpeechSynthesizer

    # One policy timeout covers a whole ~1000-character chunk (several Google requests).
    chunk_policy = RetryPolicy(retries=policy.retries, timeout_s=2 * settings.http_timeout_s)
    return GttsSpeechSynthesizer(settings.http_timeout_s, chunk_policy)


def make_openai_speech(settings: Settings, client: Any, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.openai.speech import OpenAISpeechSynthesizer

    return OpenAISpeechSynthesizer(
        client, settings.openai_tts_model, settings.openai_tts_voice, policy
    )


def make_espeak(closer: AsyncCloser) -> SpeechSynthesizer:
    from adapters.espeak import EspeakSpeechSynthesizer

    engine = EspeakSpeechSynthesizer()
    closer.register("espeak-ng child processes", engine.aclose)
    return engine


def make_storage_local(settings: Settings) -> Any:
    from adapters.storage.local import LocalAudioStorage

    return LocalAudioStorage(settings.storage_local_path)


def make_storage_s3(settings: Settings, closer: AsyncCloser, policy: RetryPolicy) -> Any:
    from adapters.storage.s3 import S3AudioStorage

    storage = S3AudioStorage(
        settings.s3_bucket or "",
        region=settings.s3_region,
        endpoint_url=settings.s3_endpoint_url,
        public_endpoint_url=settings.s3_public_endpoint_url,
        url_ttl_s=settings.s3_presign_ttl_s,
        policy=policy,
    )
    closer.register("s3 client", storage.aclose)
    return storage


def llm_model(settings: Settings) -> str | None:
    """The chat model whose tokens cost money (None when the LLM is the memory fake)."""
    return settings.openai_model if settings.llm_provider == "openai" else None


class BookMakingContainer(containers.DeclarativeContainer):
    """What makes a book: metadata, the language model, speech engines, storage, and the
    job that runs them (``produce_book``)."""

    core = providers.DependenciesContainer()
    settings = core.settings
    # Files a made book under its genres; the composition root hands in the community's.
    tag_genres: providers.Provider[Any] = providers.Object(None)

    openlibrary = providers.Singleton(make_openlibrary, settings, core.http_client, core.policy)
    googlebooks = providers.Singleton(make_googlebooks, settings, core.http_client, core.policy)
    metadata = providers.Selector(
        settings.provided.metadata_provider,
        openlibrary=openlibrary,
        googlebooks=googlebooks,
        chain=providers.Singleton(make_chain, openlibrary, googlebooks),
        memory=providers.Singleton(FakeBookMetadataSource),
    )
    planner = providers.Selector(
        settings.provided.llm_provider,
        openai=providers.Singleton(make_planner, settings, core.openai_client, core.policy),
        memory=providers.Singleton(FakeChapterPlanner),
    )
    summarizer = providers.Selector(
        settings.provided.llm_provider,
        openai=providers.Singleton(make_summarizer, settings, core.openai_client, core.policy),
        memory=providers.Singleton(FakeSummarizer, settings.provided.fake_latency_ms),
    )
    speech_builders = providers.Dict(
        gtts=providers.Singleton(make_gtts, settings, core.policy).provider,
        openai=providers.Singleton(
            make_openai_speech, settings, core.openai_client, core.policy
        ).provider,
        espeak=providers.Singleton(make_espeak, core.closer).provider,
        memory=providers.Singleton(FakeSpeechSynthesizer).provider,
        google=providers.Singleton(
            speech.make_google, settings, core.http_client, core.policy
        ).provider,
        polly=providers.Singleton(speech.make_polly, settings, core.closer, core.policy).provider,
        azure=providers.Singleton(
            speech.make_azure, settings, core.http_client, core.policy
        ).provider,
        elevenlabs=providers.Singleton(
            speech.make_elevenlabs, settings, core.http_client, core.policy
        ).provider,
        piper=providers.Singleton(speech.make_piper, settings, core.closer).provider,
    )
    speech_engines = providers.Singleton(
        SpeechEngineRegistry,
        speech_builders,
        default=settings.provided.tts_provider,
        fallbacks=settings.provided.tts_fallback,
        offered=settings.provided.tts_engines,
    )
    storage = providers.Selector(
        settings.provided.storage_backend,
        local=providers.Singleton(make_storage_local, settings),
        s3=providers.Singleton(make_storage_s3, settings, core.closer, core.policy),
    )

    audio_pool = providers.Singleton(make_audio_pool, settings, core.closer)
    loudness = providers.Singleton(make_loudness, settings, audio_pool)
    speak_rendition = providers.Factory(
        SpeakRendition,
        uow_factory=core.uow_factory,
        engines=speech_engines,
        storage=storage,
        loudness=loudness,
        clock=core.clock,
        ids=core.ids,
    )
    produce_book = providers.Factory(
        ProduceBook,
        uow_factory=core.uow_factory,
        metadata=metadata,
        planner=planner,
        summarizer=summarizer,
        speak=speak_rendition,
        clock=core.clock,
        ids=core.ids,
        tag_genres=tag_genres,
        limits=providers.Factory(
            ProductionLimits,
            chapter_concurrency=settings.provided.chapter_concurrency,
            max_chapters=settings.provided.max_chapters,
        ),
    )


class BooksContainer(containers.DeclarativeContainer):
    """The books use cases the API offers: submit a book, browse, read chapters, audio."""

    core = providers.DependenciesContainer()
    making = providers.DependenciesContainer()
    jobs = providers.DependenciesContainer()

    process_book = providers.Factory(
        ProcessBook,
        submit=jobs.submit,
        engines=making.speech_engines,
        clock=core.clock,
        ids=core.ids,
    )
    get_book = providers.Factory(GetBook, uow_factory=core.uow_factory)
    find_book_by_isbn = providers.Factory(FindBookByIsbn, uow_factory=core.uow_factory)
    list_chapters = providers.Factory(ListChapters, uow_factory=core.uow_factory)
    get_chapter = providers.Factory(GetChapter, uow_factory=core.uow_factory)
    get_chapter_audio = providers.Factory(
        GetChapterAudio, uow_factory=core.uow_factory, storage=making.storage
    )
    estimate_book = providers.Factory(
        EstimateBook,
        uow_factory=core.uow_factory,
        engines=making.speech_engines,
        summary_words=core.settings.provided.summary_words,
        max_chapters=core.settings.provided.max_chapters,
        llm_model=providers.Callable(llm_model, core.settings),
    )


__all__ = ["BookMakingContainer", "BooksContainer"]
