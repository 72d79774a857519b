"""Schemathesis over the API's own OpenAPI document, with a token and without one.

Every operation gets generated requests (valid and invalid, from the schema); every answer
must be documented (status, content type, body schema) and none may be a 5xx. The app runs
on the in-memory adapters with the deterministic fakes, through its outermost ASGI layers,
so the run is fast and repeatable (hypothesis' derandomised profile under CI).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from dependency_injector import providers
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    positive_data_acceptance,
)

from adapters.memory.queue import MemoryJobQueue
from application.accounts.login import LoginCommand
from application.accounts.register import RegisterCommand
from application.books.process_book import ProcessBookCommand
from entrypoints.http.app import asgi_app
from tests.integration.http.conftest import PASSWORD, memory_container, memory_settings

pytestmark = pytest.mark.fuzz

EXAMPLES = 25
# Every check but "schema-valid data must be accepted": our rules go beyond what a schema
# says (ISBN check digits, which speech engines this server has, an email already taken),
# so a schema-valid request may rightly be 422 or 409.
# And the Allow header of OPTIONS: Litestar's automatic OPTIONS answer lists the methods of
# one handler only when a path has several (GET and PUT /users/profile answer "GET,
# OPTIONS"); OPTIONS is the framework's, not an operation of ours.
EXCLUDED = [positive_data_acceptance, allow_header_conformance]


def _app() -> tuple[Any, dict[str, str]]:
    """The app, and the Authorization header of an account that has a finished book.

    The data is made through the use cases before the app serves, and the queue only
    records jobs (the fuzzer tests HTTP, not the job runner), so nothing runs behind it.
    """
    container = memory_container(
        memory_settings(
            Path(tempfile.mkdtemp(prefix="bookbytes-fuzz-")),
            rate_limit_per_minute=1_000_000,
            jobs_per_minute=1_000_000,
        )
    )
    container.jobs.queue.override(providers.Object(MemoryJobQueue()))

    async def seed() -> str:
        user = await container.accounts.register()(RegisterCommand("fuzz@example.com", PASSWORD))
        pair = await container.accounts.login()(LoginCommand("fuzz@example.com", PASSWORD))
        job = await container.books.process_book()(ProcessBookCommand(user.id, "9780306406157"))
        await container.jobs.runner().run(job.job.id)
        return pair.access.token

    token = asyncio.run(seed())
    return asgi_app(container), {"Authorization": f"Bearer {token}"}


APP, AUTH = _app()
schema = schemathesis.openapi.from_asgi("/docs/openapi.json", APP)
CHECKS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@CHECKS
def test_with_a_token_every_answer_is_documented_and_none_is_a_5xx(case: Any) -> None:
    case.call_and_validate(headers=AUTH, excluded_checks=EXCLUDED)


@schema.parametrize()
@CHECKS
def test_without_a_token_every_answer_is_documented_and_none_is_a_5xx(case: Any) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)
