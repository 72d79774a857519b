"""What every feature's container uses: settings, shutdown, time, ids, the database, HTTP.

Each factory imports its driver or SDK only when called, and registers what holds a
connection with the closer.
"""

from __future__ import annotations

from typing import Any

from dependency_injector import containers, providers

from adapters.resilience import RetryPolicy
from adapters.system import SystemClock, Uuid4Generator
from entrypoints.closer import AsyncCloser
from entrypoints.settings import Settings

USER_AGENT = "BookBytes/0.1 (+https://github.com/bookbytes/bookbytes)"


def make_engine(settings: Settings, closer: AsyncCloser) -> Any:
    from adapters.sqlalchemy import create_engine

    engine = create_engine(
        settings.database_url,
        pool_min=settings.db_pool_min,
        pool_max=settings.db_pool_max,
        timeout_s=settings.http_timeout_s,
        connect_timeout_s=settings.db_connect_timeout_s,
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


class CoreContainer(containers.DeclarativeContainer):
    """Settings, shutdown, clock, ids, the database and the clients of the outside world."""

    settings = providers.Dependency(instance_of=Settings)
    closer = providers.Singleton(AsyncCloser)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid4Generator)
    # Timeouts and retries of each call to the outside world (not of jobs: see the runner).
    policy = providers.Singleton(
        RetryPolicy,
        retries=settings.provided.http_retries,
        timeout_s=settings.provided.http_timeout_s,
    )
    engine = providers.Singleton(make_engine, settings, closer)
    uow_factory = providers.Singleton(make_uow_factory, engine)
    http_client = providers.Singleton(make_http_client, settings, closer)
    openai_client = providers.Singleton(make_openai_client, settings, closer)


__all__ = ["USER_AGENT", "CoreContainer"]
