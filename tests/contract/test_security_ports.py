"""PasswordHasher and TokenService contracts: the fast fakes and the real adapters agree."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from adapters.memory.security import FakePasswordHasher, FakeTokenService
from adapters.security import Argon2PasswordHasher, JwtTokenService
from adapters.system import SystemClock
from application.accounts.ports import PasswordHasher, TokenService
from domain.errors import InvalidToken
from domain.user import User

USER = User(uuid.uuid4(), "ada@example.com", "!", datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture(params=["fake", "argon2"])
def hasher(request: pytest.FixtureRequest) -> PasswordHasher:
    if request.param == "fake":
        return FakePasswordHasher()
    return Argon2PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@pytest.fixture(params=["fake", "jwt"])
def tokens(request: pytest.FixtureRequest) -> TokenService:
    if request.param == "fake":
        return FakeTokenService()
    return JwtTokenService(signing_key="c" * 48, clock=SystemClock())


@pytest.mark.parametrize("password", ["correct horse", "pässwörd ünïcode ✓", " spaced  "])
async def test_a_hash_verifies_its_password_only(hasher: PasswordHasher, password: str) -> None:
    digest = await hasher.hash(password)
    assert password not in digest
    assert await hasher.verify(digest, password)
    assert not await hasher.verify(digest, password + "x")
    assert await hasher.hash(password) != digest  # salted


async def test_a_garbage_hash_verifies_nothing(hasher: PasswordHasher) -> None:
    assert not await hasher.verify("not a hash", "anything")


def test_an_access_token_names_its_user_and_scopes(tokens: TokenService) -> None:
    issued = tokens.issue_access(USER)
    assert issued.expires_in > 0
    claims = tokens.verify_access(issued.token)
    assert claims.user_id == USER.id
    assert claims.scopes == USER.scopes


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_anything_else_is_an_invalid_token(tokens: TokenService, token: str) -> None:
    with pytest.raises(InvalidToken):
        tokens.verify_access(token)


def test_refresh_tokens_are_unique_opaque_and_hashed(tokens: TokenService) -> None:
    token_id = uuid.uuid4()
    first, second = tokens.new_refresh_token(token_id), tokens.new_refresh_token(token_id)
    assert first != second
    assert first.startswith(token_id.hex + ".")
    assert tokens.hash_refresh_token(first) == tokens.hash_refresh_token(first)
    assert tokens.hash_refresh_token(first) != tokens.hash_refresh_token(second)
    assert first not in tokens.hash_refresh_token(first)
    with pytest.raises(InvalidToken):
        tokens.verify_access(first)  # a refresh token is never an access token
