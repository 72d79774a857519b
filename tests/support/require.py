"""Skip a test whose outside requirement is missing, or fail it where CI requires everything.

CI sets BOOKBYTES_REQUIRE_SERVICES=1: there a missing server (PostgreSQL, Redis) or tool
(chromium, docker compose) is a failure with the reason, so a green run proves that every
suite really ran. On a laptop the test is skipped with the same reason.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES_ENV = "BOOKBYTES_REQUIRE_SERVICES"


def services_required() -> bool:
    """Whether this run must not skip for want of a service or tool."""
    return os.environ.get(REQUIRE_SERVICES_ENV) == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when services are required."""
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_SERVICES_ENV}=1 requires it)", pytrace=False)
    pytest.skip(reason)
