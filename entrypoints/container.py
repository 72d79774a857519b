"""The composition root: one dependency-injector container for the API and the worker.

Adapters are chosen from the settings with ``Selector``s (their factories, which import
heavy SDKs only when selected, are in entrypoints/factories.py); use cases are
``Factory``s taking ports as keyword arguments. Everything that holds a connection
registers itself with ``closer``; ``await container.closer().aclose()`` releases it all.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.memory.llm import FakeChapterPlanner, FakeSummarizer
from adapters.memory.metadata import FakeBookMetadataSource
from adapters.resilience import RetryPolicy
from adapters.security import Argon2PasswordHasher
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
from entrypoints.factories import (
    MAX_JOB_ATTEMPTS,
    make_chain,
    make_engine,
    make_googlebooks,
    make_http_client,
    make_openai_client,
    make_openlibrary,
    make_planner,
    make_queue,
    make_rate_limiter,
    make_speech,
    make_storage,
    make_summarizer,
    make_tokens,
    make_uow_factory,
)
from entrypoints.settings import Settings


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
