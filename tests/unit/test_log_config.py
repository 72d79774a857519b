"""Logs are JSON lines and never carry passwords, tokens or API keys."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from entrypoints.log_config import configure_logging


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield None
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_secrets_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info", "json")
    log = structlog.get_logger("test")
    with structlog.contextvars.bound_contextvars(request_id="req-1"):
        log.info(
            "login attempt",
            password="hunter2-secret",
            access_token="eyJhbGciOi.secret.sig",
            api_key="k" * 32,
            header="Authorization: Bearer abc.def.ghi",
            email="ada@example.com",
        )
    logging.getLogger("stdlib").warning("from the standard library", extra={})
    out = capsys.readouterr().err
    assert "hunter2-secret" not in out
    assert "eyJhbGciOi" not in out
    assert "k" * 32 not in out
    assert "abc.def.ghi" not in out
    (entry, stdlib_entry) = lines(out)
    assert entry["request_id"] == "req-1"
    assert entry["email"] == "ada@example.com"
    assert entry["password"] == "[redacted]"
    assert entry["header"] == "Authorization: Bearer [redacted]"
    assert stdlib_entry["event"] == "from the standard library"
    assert stdlib_entry["level"] == "warning"
