"""The accounts feature: password hashing, tokens, rate limits and their use cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from adapters.memory.rate_limit import MemoryRateLimiter
from adapters.security import Argon2PasswordHasher, JwtTokenService
from application.accounts.current_user import CurrentUser
from application.accounts.local_user import LocalUser
from application.accounts.login import Login
from application.accounts.logout import Logout
from application.accounts.refresh_tokens import RefreshTokens
from application.accounts.register import Register
from application.accounts.token_pairs import TokenIssuer
from entrypoints.jwt_keys import jwt_keys

if TYPE_CHECKING:
    from adapters.system import SystemClock
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings


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


def make_redis_rate_limiter(settings: Settings, closer: AsyncCloser) -> Any:
    """Shared through the Redis of QUEUE_URL, so several API processes count together."""
    from redis.asyncio import Redis

    from adapters.redis import RedisRateLimiter

    timeout = settings.db_connect_timeout_s  # an unreachable Redis answers 503 fast
    client = Redis.from_url(
        settings.queue_url or "", socket_connect_timeout=timeout, socket_timeout=timeout
    )
    closer.register("redis (rate limits)", client.aclose)
    return RedisRateLimiter(client)


class AccountsContainer(containers.DeclarativeContainer):
    """Accounts: register, log in and out, refresh, identify the caller."""

    core = providers.DependenciesContainer()

    hasher = providers.Singleton(
        Argon2PasswordHasher, concurrency=core.settings.provided.hash_concurrency
    )
    tokens = providers.Singleton(make_tokens, core.settings, core.clock)
    token_issuer = providers.Singleton(
        TokenIssuer,
        tokens=tokens,
        clock=core.clock,
        ids=core.ids,
        refresh_ttl_s=core.settings.provided.jwt_refresh_ttl_s,
    )
    rate_limiter = providers.Selector(
        core.settings.provided.queue_backend,
        inprocess=providers.Singleton(MemoryRateLimiter, core.clock),
        saq=providers.Singleton(make_redis_rate_limiter, core.settings, core.closer),
    )

    register = providers.Factory(
        Register, uow_factory=core.uow_factory, hasher=hasher, clock=core.clock, ids=core.ids
    )
    login = providers.Singleton(
        Login, uow_factory=core.uow_factory, hasher=hasher, issuer=token_issuer
    )
    refresh_tokens = providers.Factory(
        RefreshTokens, uow_factory=core.uow_factory, issuer=token_issuer
    )
    logout = providers.Factory(
        Logout, uow_factory=core.uow_factory, tokens=tokens, clock=core.clock
    )
    current_user = providers.Factory(CurrentUser, uow_factory=core.uow_factory, tokens=tokens)
    api_key_user = providers.Singleton(
        LocalUser, uow_factory=core.uow_factory, clock=core.clock, ids=core.ids
    )


__all__ = ["AccountsContainer"]
