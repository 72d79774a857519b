"""The end-to-end suite's Redis database: claimed by one run at a time, never someone's data.

It used to take "the highest empty database" without a claim (two runs could pick the same
one) and skip when none was empty, even where CI requires every suite to run.
"""

from __future__ import annotations

import socket
import subprocess

import pytest
import redis

from tests.support.redis_db import CLAIM_KEY, E2E_DB_ENV, claimed_database, split_url
from tests.support.require import REQUIRE_SERVICES_ENV


def number_of(url: str) -> int:
    return split_url(url)[1]


def test_two_claims_never_share_a_database(redis_url: str) -> None:
    with claimed_database(redis_url) as first, claimed_database(redis_url) as second:
        assert first != second
        assert number_of(redis_url) not in (number_of(first), number_of(second))


def test_the_database_is_flushed_when_the_claim_ends(redis_url: str) -> None:
    with claimed_database(redis_url) as url, redis.Redis.from_url(url) as client:
        client.set("saq:bookbytes:stats", "1")

    with redis.Redis.from_url(url) as client:
        assert client.dbsize() == 0 or client.get(CLAIM_KEY) is not None  # empty, or re-claimed


def test_other_data_is_left_alone_and_fails_the_run_where_services_are_required(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUIRE_SERVICES_ENV, "1")
    monkeypatch.delenv(E2E_DB_ENV, raising=False)
    with claimed_database(redis_url) as url, redis.Redis.from_url(url) as client:
        owner = client.get(CLAIM_KEY)
        client.set("someone-elses-key", "precious")
        client.delete(CLAIM_KEY)  # now it looks like a database another program uses
        try:
            with (
                pytest.raises(pytest.fail.Exception, match=r"holds 1 keys of something else"),
                claimed_database(redis_url, candidates=[number_of(url)]),
            ):
                pass
            assert client.get("someone-elses-key") == b"precious"
        finally:
            client.delete("someone-elses-key")
            client.set(CLAIM_KEY, owner or b"")


def test_a_claim_left_by_a_killed_run_is_taken_over(redis_url: str) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    with claimed_database(redis_url) as url, redis.Redis.from_url(url) as client:
        client.set(CLAIM_KEY, f"{socket.gethostname()}:{gone.pid}:killedrun")
        client.set("saq:bookbytes:left-over", "1")

        with claimed_database(redis_url, candidates=[number_of(url)]) as again:
            assert again == url
            assert client.get("saq:bookbytes:left-over") is None


def test_the_named_database_is_the_one_used_and_flushed_first(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with claimed_database(redis_url) as url, redis.Redis.from_url(url) as client:
        client.delete(CLAIM_KEY)
        client.set("stale", "1")
        monkeypatch.setenv(E2E_DB_ENV, str(number_of(url)))

        with claimed_database(redis_url) as named:
            assert named == url
            assert client.get("stale") is None

        assert client.dbsize() == 0
