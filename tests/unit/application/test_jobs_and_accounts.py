"""CancelJob, GetJob, Register, Login, CurrentUser, LocalUser on the memory adapters."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from adapters.memory.security import FakePasswordHasher, FakeTokenService
from application.accounts.current_user import CurrentUser
from application.accounts.local_user import LocalUser
from application.accounts.login import Login, LoginCommand
from application.accounts.logout import Logout
from application.accounts.refresh_tokens import RefreshTokens
from application.accounts.register import Register, RegisterCommand
from application.accounts.token_pairs import TokenIssuer
from application.books.process_book import ProcessBookCommand
from application.jobs.cancel_job import CancelJob, CancelJobCommand
from application.jobs.get_job import GetJob, GetJobQuery
from domain.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidJobTransition,
    InvalidToken,
    JobNotFound,
)
from domain.job import JobStatus
from tests.unit.application.conftest import World

OWNER = uuid.UUID(int=1000)


class CountingHasher(FakePasswordHasher):
    """A fake hasher that also counts verifications (to check the timing guard)."""

    def __init__(self) -> None:
        self.verifications = 0

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verifications += 1
        return await super().verify(password_hash, password)


async def test_cancel_stops_a_pending_job_and_tells_the_queue(world: World) -> None:
    submit = world.process_book()
    job = (await submit(ProcessBookCommand(OWNER, "0306406152"))).job
    cancel = CancelJob(uow_factory=world.uow, queue=world.queue, clock=world.clock)

    with pytest.raises(JobNotFound):
        await cancel(CancelJobCommand(uuid.UUID(int=2000), job.id))
    cancelled = await cancel(CancelJobCommand(OWNER, job.id))
    assert cancelled.status is JobStatus.CANCELLED
    assert world.uow.db.table("jobs")[job.id].status is JobStatus.CANCELLED
    assert world.queue.cancelled == [job.id]
    assert world.queue.queued == []
    with pytest.raises(InvalidJobTransition):
        await cancel(CancelJobCommand(OWNER, job.id))


async def test_get_job_hides_other_owners_jobs(world: World) -> None:
    submit = world.process_book()
    job = (await submit(ProcessBookCommand(OWNER, "0306406152"))).job
    get = GetJob(uow_factory=world.uow)
    assert (await get(GetJobQuery(OWNER, job.id))).id == job.id
    with pytest.raises(JobNotFound):
        await get(GetJobQuery(uuid.UUID(int=2000), job.id))


async def test_register_login_and_identify(world: World) -> None:
    hasher = CountingHasher()
    tokens = FakeTokenService()
    register = Register(uow_factory=world.uow, hasher=hasher, clock=world.clock, ids=world.ids)
    user = await register(RegisterCommand(" Ada@Example.com", "correct horse"))
    assert user.email == "ada@example.com"
    assert user.password_hash != "correct horse"
    with pytest.raises(EmailTaken):
        await register(RegisterCommand("ada@example.com", "another password"))

    issuer = TokenIssuer(tokens=tokens, clock=world.clock, ids=world.ids)
    login = Login(uow_factory=world.uow, hasher=hasher, issuer=issuer)
    pair = await login(LoginCommand("ADA@example.com", "correct horse"))
    issued = pair.access
    current = CurrentUser(uow_factory=world.uow, tokens=tokens)
    assert (await current(issued.token)).id == user.id
    (stored,) = world.uow.db.table("refresh_tokens").values()
    assert stored.user_id == user.id
    assert stored.token_hash != pair.refresh_token  # only a digest is kept

    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("ada@example.com", "wrong horse"))
    before = hasher.verifications
    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("nobody@example.com", "correct horse"))
    assert hasher.verifications == before + 1  # an unknown email still costs a verification

    world.uow.db.table("users")[user.id] = replace(user, is_active=False)
    with pytest.raises(InvalidToken):
        await current(issued.token)
    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("ada@example.com", "correct horse"))


async def test_the_local_user_is_created_once(world: World) -> None:
    first = await LocalUser(uow_factory=world.uow, clock=world.clock, ids=world.ids)()
    second = await LocalUser(uow_factory=world.uow, clock=world.clock, ids=world.ids)()
    assert first.id == second.id
    assert len(world.uow.db.table("users")) == 1


async def test_refresh_rotates_and_reuse_revokes_the_family(world: World) -> None:
    tokens = FakeTokenService()
    issuer = TokenIssuer(tokens=tokens, clock=world.clock, ids=world.ids, refresh_ttl_s=600)
    register = Register(
        uow_factory=world.uow, hasher=FakePasswordHasher(), clock=world.clock, ids=world.ids
    )
    await register(RegisterCommand("ada@example.com", "correct horse"))
    login = Login(uow_factory=world.uow, hasher=FakePasswordHasher(), issuer=issuer)
    first = await login(LoginCommand("ada@example.com", "correct horse"))
    refresh = RefreshTokens(uow_factory=world.uow, issuer=issuer)

    second = await refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    third = await refresh(second.refresh_token)

    with pytest.raises(InvalidToken, match="reused"):
        await refresh(first.refresh_token)  # a rotated token comes back: it leaked
    with pytest.raises(InvalidToken):
        await refresh(third.refresh_token)  # the whole family is revoked
    assert all(t.revoked_at is not None for t in world.uow.db.table("refresh_tokens").values())


async def test_refresh_tokens_expire_and_logout_revokes(world: World) -> None:
    tokens = FakeTokenService()
    issuer = TokenIssuer(tokens=tokens, clock=world.clock, ids=world.ids, refresh_ttl_s=600)
    register = Register(
        uow_factory=world.uow, hasher=FakePasswordHasher(), clock=world.clock, ids=world.ids
    )
    await register(RegisterCommand("ada@example.com", "correct horse"))
    login = Login(uow_factory=world.uow, hasher=FakePasswordHasher(), issuer=issuer)
    refresh = RefreshTokens(uow_factory=world.uow, issuer=issuer)
    logout = Logout(uow_factory=world.uow, tokens=tokens, clock=world.clock)

    old = await login(LoginCommand("ada@example.com", "correct horse"))
    world.clock.advance(601)
    with pytest.raises(InvalidToken, match="expired"):
        await refresh(old.refresh_token)

    current = await login(LoginCommand("ada@example.com", "correct horse"))
    await logout(current.refresh_token)
    await logout(current.refresh_token)  # twice is fine
    with pytest.raises(InvalidToken):
        await refresh(current.refresh_token)
    for garbage in ("", "nodot", "0" * 32 + ".x", "zz" * 16 + ".x"):
        with pytest.raises(InvalidToken):
            await refresh(garbage)
