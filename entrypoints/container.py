"""The composition root: one dependency-injector container for the API and the worker.

Adapters are chosen from the settings with ``Selector``s; use cases are ``Factory``s
taking ports as keyword arguments. Heavy SDKs are imported only when their adapter is
selected. Everything that holds a connection registers itself with ``closer``;
``await container.closer().aclose()`` releases it all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.memory.rate_limit import MemoryRateLimiter
from adapters.resilience import RetryPolicy
from adapters.security import Argon2PasswordHasher, JwtTokenService
from adapters.system import SystemClock, Uuid4Generator
from application.cancel_job import CancelJob
from application.current_user import CurrentUser
from application.find_book_by_isbn import FindBookByIsbn
from application.get_book import GetBook
from application.get_chapter import GetChapter
from application.get_chapter_audio import GetChapterAudio
from application.get_job import GetJob
from application.list_books import ListBooks
from application.list_chapters import ListChapters
from application.list_jobs import ListJobs
from application.local_user import LocalUser
from application.login import Login
from application.logout import Logout
from application.process_book import ProcessBook
from application.recover_stuck_jobs import RecoverStuckJobs
from application.refresh_tokens import RefreshTokens
from application.register import Register
from application.resume_jobs import ResumeJobs
from application.run_book_pipeline import PipelineLimits, RunBookPipeline
from application.token_pairs import TokenIssuer
from entrypoints.closer import AsyncCloser
from entrypoints.jwt_keys import jwt_keys
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from application.ports import BookMetadataSource, SpeechSynthesizer

USER_AGENT = "BookBytes/0.1 (+https://github.com/bookbytes/bookbytes)"
MAX_JOB_ATTEMPTS = 3


# --- factories for adapters with connections or heavy imports -----------------------------


def make_engine(settings: Settings, closer: AsyncCloser) -> Any:
    from adapters.sqlalchemy import create_engine

    engine = create_engine(
        settings.database_url,
        pool_min=settings.db_pool_min,
        pool_max=settings.db_pool_max,
        timeout_s=settings.http_timeout_s,
    )
    closer.register("database", engine.dispose)
    return engine


def make_uow_factory(engine: Any) -> Any:
    from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory

    return SqlAlchemyUnitOfWorkFactory(engine)


def make_http_client(settings: Settings, closer: AsyncCloser) -> Any:
    from adapters.http_client import make_http_client as make

    client = make(settings.http_timeout_s, USER_AGENT)
    closer.register("http client", client.aclose)
    return client


def make_openai_client(settings: Settings, closer: AsyncCloser) -> Any:
    from openai import AsyncOpenAI

    client = AsyncOpenAI(
        api_key=settings.openai_api_key or "not-set",
        base_url=settings.openai_base_url,
        timeout=settings.http_timeout_s,
        max_retries=0,
    )
    closer.register("openai client", client.close)
    return client


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


def make_speech_engine(name: str, settings: Settings, container: Any) -> SpeechSynthesizer:
    """One speech engine by name (gtts, openai, espeak, memory)."""
    policy = container.policy()
    if name == "gtts":
        from adapters.gtts import GttsSpeechSynthesizer

        # One policy timeout covers a whole ~1000-character chunk (several Google requests).
        chunk_policy = RetryPolicy(retries=policy.retries, timeout_s=2 * settings.http_timeout_s)
        return GttsSpeechSynthesizer(settings.http_timeout_s, chunk_policy)
    if name == "openai":
        from adapters.openai.speech import OpenAISpeechSynthesizer

        return OpenAISpeechSynthesizer(
            container.openai_client(), settings.openai_tts_model, settings.openai_tts_voice, policy
        )
    if name == "espeak":
        from adapters.espeak import EspeakSpeechSynthesizer

        return EspeakSpeechSynthesizer()
    from adapters.memory.speech import FakeSpeechSynthesizer

    return FakeSpeechSynthesizer()


def make_speech(settings: Settings, container: Any) -> SpeechSynthesizer:
    """TTS_PROVIDER, followed by the TTS_FALLBACK engines when any are configured."""
    names = list(dict.fromkeys((settings.tts_provider, *settings.tts_fallback)))
    engines = [make_speech_engine(name, settings, container) for name in names]
    if len(engines) == 1:
        return engines[0]
    from adapters.fallback_speech import FallbackSpeechSynthesizer

    return FallbackSpeechSynthesizer(engines)


def make_storage(settings: Settings, closer: AsyncCloser, policy: RetryPolicy) -> Any:
    if settings.storage_backend == "s3":
        from adapters.storage.s3 import S3AudioStorage

        storage = S3AudioStorage(
            settings.s3_bucket or "",
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            url_ttl_s=settings.s3_presign_ttl_s,
            policy=policy,
        )
        closer.register("s3 client", storage.aclose)
        return storage
    from adapters.storage.local import LocalAudioStorage

    return LocalAudioStorage(settings.storage_local_path)


def make_queue(settings: Settings, closer: AsyncCloser) -> Any:
    if settings.queue_url:
        from adapters.saq import SaqJobQueue

        queue = SaqJobQueue.from_url(settings.queue_url, max_attempts=MAX_JOB_ATTEMPTS)
        closer.register("job queue", queue.aclose)
        return queue
    from adapters.inprocess import InProcessJobQueue

    return InProcessJobQueue(max_jobs=settings.worker_max_jobs, max_attempts=MAX_JOB_ATTEMPTS)


def make_rate_limiter(settings: Settings, clock: SystemClock, closer: AsyncCloser) -> Any:
    """Shared through Redis when QUEUE_URL names one (several API processes), else in memory."""
    if not settings.queue_url:
        return MemoryRateLimiter(clock)
    from redis.asyncio import Redis

    from adapters.redis import RedisRateLimiter

    client = Redis.from_url(settings.queue_url)
    closer.register("redis (rate limits)", client.aclose)
    return RedisRateLimiter(client)


def make_tokens(settings: Settings, clock: SystemClock) -> JwtTokenService:
    signing, verifying = jwt_keys(settings)
    return JwtTokenService(
        signing_key=signing,
        verify_key=verifying,
        algorithm=settings.jwt_algorithm,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        access_ttl_s=settings.jwt_access_ttl_s,
        clock=clock,
    )


class Container(containers.DeclarativeContainer):
    """Every adapter and use case of BookBytes, built from one Settings object."""

    __self__ = providers.Self()
    settings = providers.Dependency(instance_of=Settings)
    closer = providers.Singleton(AsyncCloser)

    # basics
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid4Generator)
    policy = providers.Singleton(
        RetryPolicy,
        retries=settings.provided.http_retries,
        timeout_s=settings.provided.http_timeout_s,
    )

    # persistence and queue
    engine = providers.Singleton(make_engine, settings, closer)
    uow_factory = providers.Singleton(make_uow_factory, engine)
    queue = providers.Singleton(make_queue, settings, closer)

    # the outside world
    http_client = providers.Singleton(make_http_client, settings, closer)
    openai_client = providers.Singleton(make_openai_client, settings, closer)
    openlibrary = providers.Singleton(make_openlibrary, settings, http_client, policy)
    googlebooks = providers.Singleton(make_googlebooks, settings, http_client, policy)
    metadata = providers.Selector(
        settings.provided.metadata_provider,
        openlibrary=openlibrary,
        googlebooks=googlebooks,
        chain=providers.Singleton(make_chain, openlibrary, googlebooks),
        memory=providers.Singleton(FakeBookMetadataSource),
    )
    planner = providers.Selector(
        settings.provided.llm_provider,
        openai=providers.Singleton(make_planner, settings, openai_client, policy),
        memory=providers.Singleton(FakeChapterPlanner),
    )
    summarizer = providers.Selector(
        settings.provided.llm_provider,
        openai=providers.Singleton(make_summarizer, settings, openai_client, policy),
        memory=providers.Singleton(FakeSummarizer, settings.provided.fake_latency_ms),
    )
    speech = providers.Singleton(make_speech, settings, __self__)
    storage = providers.Singleton(make_storage, settings, closer, policy)

    # security
    hasher = providers.Singleton(Argon2PasswordHasher)
    tokens = providers.Singleton(make_tokens, settings, clock)
    token_issuer = providers.Singleton(
        TokenIssuer,
        tokens=tokens,
        clock=clock,
        ids=ids,
        refresh_ttl_s=settings.provided.jwt_refresh_ttl_s,
    )
    rate_limiter = providers.Singleton(make_rate_limiter, settings, clock, closer)

    # use cases
    process_book = providers.Factory(
        ProcessBook, uow_factory=uow_factory, queue=queue, clock=clock, ids=ids
    )
    run_book_pipeline = providers.Factory(
        RunBookPipeline,
        uow_factory=uow_factory,
        metadata=metadata,
        planner=planner,
        summarizer=summarizer,
        speech=speech,
        storage=storage,
        clock=clock,
        ids=ids,
        limits=providers.Factory(
            PipelineLimits,
            chapter_concurrency=settings.provided.chapter_concurrency,
            max_chapters=settings.provided.max_chapters,
        ),
    )
    resume_jobs = providers.Factory(ResumeJobs, uow_factory=uow_factory, queue=queue)
    recover_stuck_jobs = providers.Factory(
        RecoverStuckJobs,
        uow_factory=uow_factory,
        queue=queue,
        clock=clock,
        max_attempts=MAX_JOB_ATTEMPTS,
    )
    get_job = providers.Factory(GetJob, uow_factory=uow_factory)
    list_jobs = providers.Factory(ListJobs, uow_factory=uow_factory)
    cancel_job = providers.Factory(CancelJob, uow_factory=uow_factory, queue=queue, clock=clock)
    get_book = providers.Factory(GetBook, uow_factory=uow_factory)
    find_book_by_isbn = providers.Factory(FindBookByIsbn, uow_factory=uow_factory)
    list_books = providers.Factory(ListBooks, uow_factory=uow_factory)
    list_chapters = providers.Factory(ListChapters, uow_factory=uow_factory)
    get_chapter = providers.Factory(GetChapter, uow_factory=uow_factory)
    get_chapter_audio = providers.Factory(GetChapterAudio, uow_factory=uow_factory, storage=storage)
    register = providers.Factory(
        Register, uow_factory=uow_factory, hasher=hasher, clock=clock, ids=ids
    )
    login = providers.Singleton(Login, uow_factory=uow_factory, hasher=hasher, issuer=token_issuer)
    refresh_tokens = providers.Factory(RefreshTokens, uow_factory=uow_factory, issuer=token_issuer)
    logout = providers.Factory(Logout, uow_factory=uow_factory, tokens=tokens, clock=clock)
    current_user = providers.Factory(CurrentUser, uow_factory=uow_factory, tokens=tokens)
    api_key_user = providers.Singleton(LocalUser, uow_factory=uow_factory, clock=clock, ids=ids)


def build_container(settings: Settings) -> Container:
    """A container for ``settings``."""
    return Container(settings=settings)
