"""Factories for the adapters the container builds: each imports its SDK only when its
adapter is selected, and registers what holds a connection with the closer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.memory.rate_limit import MemoryRateLimiter
from adapters.resilience import RetryPolicy
from adapters.security import JwtTokenService
from entrypoints.jwt_keys import jwt_keys

if TYPE_CHECKING:
    from adapters.system import SystemClock
    from application.ports import BookMetadataSource, SpeechSynthesizer
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings

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
