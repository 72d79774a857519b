"""Checks `serve`, `worker` and `db` make before they start, so a bad start is one line.

Each check raises `StartError` with a message naming what is wrong and how to fix it; the
commands print it as ``bookbytes: <message>`` and exit 1 (a bad setting exits 2, see
`entrypoints.cli.server`). `explain_database_error` turns what the drivers raise (asyncpg,
aiosqlite, OSError, wrapped by SQLAlchemy or in an ExceptionGroup) into such a message.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator
    from typing import Any

    from entrypoints.settings import Settings

PROBE_TIMEOUT_S = 5.0
FIRST_RETRY_DELAY_S = 1.0
MAX_RETRY_DELAY_S = 10.0


class StartError(Exception):
    """A service or a path this process needs cannot be used; the message says how to fix it."""


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything behind it: causes, contexts, ExceptionGroup members."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(reversed(current.exceptions))
        for behind in (current.__cause__, current.__context__, getattr(current, "orig", None)):
            if isinstance(behind, BaseException):
                stack.append(behind)


def explain_database_error(exc: BaseException, database_url: str) -> str | None:
    """One line saying why ``database_url`` cannot be used, or None for an unknown failure."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        for cause in causes(exc):
            if isinstance(cause, OSError) or type(cause).__name__ == "OperationalError":
                return (
                    f"cannot open the SQLite database {url.database!r} ({cause}): make its "
                    "directory writable, or set DATA_DIR or DATABASE_URL elsewhere"
                )
        return None
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    for cause in causes(exc):
        name = type(cause).__name__
        if name == "InvalidCatalogNameError":
            return (
                f"database {url.database!r} does not exist on the PostgreSQL server at {where}: "
                f"create it (createdb -h {url.host or 'localhost'} -p {url.port or 5432} "
                f"-U {url.username or 'postgres'} {url.database}) or fix DATABASE_URL"
            )
        if name in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError"):
            return (
                f"the PostgreSQL server at {where} refused user {url.username!r} ({cause}): "
                "fix the user or password in DATABASE_URL"
            )
        if isinstance(cause, OSError | TimeoutError):
            reason = cause.strerror or str(cause) or type(cause).__name__
            return (
                f"cannot reach the PostgreSQL server at {where} ({reason}): start it, or fix "
                "the host and port in DATABASE_URL"
            )
    return None


def check_database(database_url: str) -> None:
    """Connect to the database once and see it is migrated (PostgreSQL only; SQLite is
    opened, and migrated, by `serve` itself).

    Raises:
        StartError: the server cannot be reached, refuses us, has no such database, or the
            database was never migrated.
    """
    if not database_url.startswith("postgresql"):
        return

    async def probe() -> set[str] | None:
        import sqlalchemy as sa

        from adapters.sqlalchemy.engine import create_engine

        engine = create_engine(database_url, pool_min=1, pool_max=1, timeout_s=PROBE_TIMEOUT_S)
        try:
            async with engine.connect() as connection:
                if not await connection.run_sync(
                    lambda sync: sa.inspect(sync).has_table("alembic_version")
                ):
                    return None
                rows = await connection.execute(sa.text("SELECT version_num FROM alembic_version"))
                return {str(row[0]) for row in rows}
        finally:
            await engine.dispose()

    try:
        revisions = asyncio.run(probe())
    except Exception as exc:
        message = explain_database_error(exc, database_url)
        if message is None:
            raise
        raise StartError(message) from exc
    if not revisions:
        from sqlalchemy.engine import make_url

        raise StartError(
            f"database {make_url(database_url).database!r} has no BookBytes tables yet: run "
            "`bookbytes db upgrade` with the same DATABASE_URL first"
        )


def check_storage(settings: Settings) -> None:
    """Make sure the directories this process writes can be written: DATA_DIR in the
    embedded mode (the SQLite file, the generated JWT key), STORAGE_LOCAL_PATH for local
    audio. Each is created, and a file written in it and removed.

    Raises:
        StartError: one of them cannot be created or written.
    """
    if settings.embedded:
        check_writable(Path(settings.data_dir), "DATA_DIR")
    if settings.storage_backend == "local":
        check_writable(Path(settings.storage_local_path), "STORAGE_LOCAL_PATH")


def check_writable(root: Path, variable: str) -> None:
    """Create ``root`` and write a file in it; StartError naming ``variable`` if that fails."""
    probe = root / f".bookbytes-write-check-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StartError(
            f"{variable} {str(root)!r} cannot be written ({reason}): make it a directory "
            f"this user can write, or set {variable} elsewhere"
        ) from exc


def redis_location(queue_url: str) -> str:
    """``redis://host:port/db`` without a password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(queue_url)
    return f"{parts.scheme}://{parts.hostname or 'localhost'}:{parts.port or 6379}{parts.path}"


async def ping_redis(queue_url: str) -> None:
    """One PING to the Redis at ``queue_url``; raises what redis-py raises."""
    from redis import asyncio as aioredis

    client = aioredis.from_url(
        queue_url, socket_connect_timeout=PROBE_TIMEOUT_S, socket_timeout=PROBE_TIMEOUT_S
    )
    try:
        await client.ping()
    finally:
        await client.aclose()


def retry_delays(budget_s: float) -> Iterator[float]:
    """Waits between attempts: 1 s doubling to 10 s, until ``budget_s`` is spent."""
    delay, spent = FIRST_RETRY_DELAY_S, 0.0
    while spent < budget_s:
        wait = min(delay, budget_s - spent)
        yield wait
        spent += wait
        delay = min(delay * 2, MAX_RETRY_DELAY_S)


def wait_for_redis(
    queue_url: str,
    budget_s: float,
    on_retry: Callable[[int, str, float], None],
    ping: Callable[[str], Coroutine[Any, Any, None]] = ping_redis,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Ping Redis until it answers, waiting with backoff for up to ``budget_s`` seconds.

    ``on_retry(attempt, reason, delay_s)`` is called after each failed attempt that will be
    retried (the worker logs one line there).

    Raises:
        StartError: Redis refused our password, or did not answer within the budget.
    """
    from redis.exceptions import AuthenticationError, RedisError

    where = redis_location(queue_url)
    delays = retry_delays(budget_s)
    attempt = 0
    while True:
        attempt += 1
        try:
            asyncio.run(ping(queue_url))
            return
        except AuthenticationError as exc:
            raise StartError(
                f"the Redis at {where} refused our credentials ({exc}): fix QUEUE_URL"
            ) from exc
        except (RedisError, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            delay = next(delays, None)
            if delay is None:
                raise StartError(
                    f"cannot reach the Redis at {where} after {attempt} attempts in "
                    f"{budget_s:g} s ({reason}): start it, or fix QUEUE_URL (the worker waits "
                    "WORKER_CONNECT_TIMEOUT_S for it)"
                ) from exc
            on_retry(attempt, reason, delay)
            sleep(delay)


__all__ = [
    "StartError",
    "check_database",
    "check_storage",
    "explain_database_error",
    "retry_delays",
    "wait_for_redis",
]
