"""What the tests may touch in Redis, so that runs sharing one server never meet.

Every key a test writes in the shared database (TEST_REDIS_URL) contains ``RUN_ID``, unique
to this pytest process; the session deletes and reports any such key left at the end. The
end-to-end suite needs a database of its own (its workers use the real queue name): it
claims one atomically with ``claimed_database`` and flushes it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from typing import TYPE_CHECKING

from tests.support.require import unavailable

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import redis

RUN_ID = uuid.uuid4().hex[:10]
KEY_PREFIX = f"bookbytes-test:{RUN_ID}:"
CLAIM_KEY = "bookbytes-test:claimed-by"
E2E_DB_ENV = "TEST_E2E_REDIS_DB"
_HIGHEST_DB = 15  # Redis's default `databases 16`


def split_url(url: str) -> tuple[str, int]:
    """``redis://host:port/3`` -> (``redis://host:port``, 3); no number means database 0."""
    head, _, tail = url.rstrip("/").rpartition("/")
    if head.endswith(":/") or not tail.isdigit():  # redis://host:port, no database
        return url.rstrip("/"), 0
    return head, int(tail)


def run_keys(client: redis.Redis) -> list[str]:
    """Keys of this run (they contain RUN_ID) in ``client``'s database."""
    return sorted(key.decode() for key in client.scan_iter(match=f"*{RUN_ID}*", count=1000))


def sweep_run_keys(url: str) -> list[str]:
    """Delete this run's keys in the database at ``url``; return what was left."""
    import redis

    with redis.Redis.from_url(url) as client:
        left = run_keys(client)
        if left:
            client.delete(*left)
    return left


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{RUN_ID}"


def _is_stale(owner: str) -> bool:
    """Whether a claim was made by a process of this host that is gone (a killed run)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim(client: redis.Redis, owner: str, *, may_flush: bool) -> str | None:
    """Claim ``client``'s database for ``owner``; None when done, else why not."""
    import redis as redis_errors

    if client.set(CLAIM_KEY, owner, nx=True):
        others = int(client.dbsize()) - 1
        if others == 0:
            return None
        if may_flush:
            client.pipeline(transaction=True).flushdb().set(CLAIM_KEY, owner).execute()
            return None
        client.delete(CLAIM_KEY)
        return f"holds {others} keys of something else"
    holder = (client.get(CLAIM_KEY) or b"").decode()
    if not _is_stale(holder):
        return f"claimed by the live test run {holder}"
    with client.pipeline(transaction=True) as pipe:
        try:
            pipe.watch(CLAIM_KEY)
            if (pipe.get(CLAIM_KEY) or b"").decode() != holder:
                return "claimed by another run meanwhile"
            pipe.multi()
            pipe.flushdb()  # what the killed run left
            pipe.set(CLAIM_KEY, owner)
            pipe.execute()
        except redis_errors.WatchError:
            return "claimed by another run meanwhile"
    return None


@contextlib.contextmanager
def claimed_database(shared_url: str, candidates: Iterable[int] | None = None) -> Iterator[str]:
    """The URL of a Redis database this run owns until the end of the block, then flushed.

    TEST_E2E_REDIS_DB names it (it is flushed before use too); otherwise the highest-numbered
    one that is empty (or was claimed by a run that was killed) from 15 down to 1, never the
    database of ``shared_url`` (``candidates`` replaces that list). Two runs never get the
    same one: the claim is a SET NX. Where none can be had, the test is skipped, or failed
    under BOOKBYTES_REQUIRE_SERVICES=1, with what each database answered.
    """
    import redis

    base, shared = split_url(shared_url)
    wanted = os.environ.get(E2E_DB_ENV, "").strip()
    if wanted and (not wanted.isdigit() or int(wanted) == shared):
        unavailable(f"{E2E_DB_ENV}={wanted!r} must be a database number other than {shared}")
    numbers = [int(wanted)] if wanted else (candidates or range(_HIGHEST_DB, 0, -1))
    owner, refusals = _owner(), []
    for number in numbers:
        if number == shared:
            continue
        url = f"{base}/{number}"
        try:
            with redis.Redis.from_url(url) as client:
                refusal = _claim(client, owner, may_flush=bool(wanted))
        except redis.RedisError as error:
            refusal = f"{type(error).__name__}: {error}"
        if refusal is None:
            break
        refusals.append(f"database {number} {refusal}")
    else:
        unavailable(
            "no Redis database could be claimed for the end-to-end suite ("
            + "; ".join(refusals)
            + f"); set {E2E_DB_ENV} to a database number it may flush"
        )
    try:
        yield url
    finally:
        with redis.Redis.from_url(url) as client:
            if (client.get(CLAIM_KEY) or b"").decode() == owner:
                client.flushdb()
