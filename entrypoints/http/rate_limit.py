"""Rate limits: the account endpoints (login, register, refresh) per client address and
account; expensive operations (job submission) per user."""

from __future__ import annotations

from typing import Any

from litestar import Request

from domain.errors import RateLimited
from entrypoints.http.deps import container_of

WINDOW_S = 60


async def enforce_rate_limit(
    request: Request[Any, Any, Any], action: str, account: str | None = None
) -> None:
    """Count this attempt per client address (and per account when given).

    Raises:
        RateLimited: over RATE_LIMIT_PER_MINUTE in the current minute (429 + Retry-After).
    """
    container = container_of(request)
    limit = container.settings().rate_limit_per_minute
    limiter = container.accounts.rate_limiter()
    client = request.client.host if request.client else "unknown"
    keys = [f"{action}:client:{client}"]
    if account:
        keys.append(f"{action}:account:{account.strip().lower()}")
    for key in keys:
        retry_after = await limiter.hit(key, limit=limit, window_s=WINDOW_S)
        if retry_after is not None:
            raise RateLimited(
                f"too many {action} attempts; try again in {retry_after} s",
                retry_after_s=retry_after,
            )


async def enforce_user_limit(
    request: Request[Any, Any, Any], action: str, user_id: object, per_minute: int
) -> None:
    """Count one ``action`` by this user against ``per_minute``.

    Raises:
        RateLimited: over the limit in the current minute (429 + Retry-After).
    """
    limiter = container_of(request).accounts.rate_limiter()
    retry_after = await limiter.hit(f"{action}:user:{user_id}", limit=per_minute, window_s=WINDOW_S)
    if retry_after is not None:
        raise RateLimited(
            f"too many {action} requests: at most {per_minute} a minute; "
            f"try again in {retry_after} s",
            retry_after_s=retry_after,
        )
