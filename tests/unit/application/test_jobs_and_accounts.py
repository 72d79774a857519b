"""CancelJob, GetJob, Register, Login, CurrentUser, LocalUser on the memory adapters."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from adapters.memory.security import FakePasswordHasher, FakeTokenService
from application.cancel_job import CancelJob, CancelJobCommand
from application.current_user import CurrentUser
from application.get_job import GetJob, GetJobQuery
from application.local_user import LocalUser
from application.login import Login, LoginCommand
from application.process_book import ProcessBook, ProcessBookCommand
from application.register import Register, RegisterCommand
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
    submit = ProcessBook(uow_factory=world.uow, queue=world.queue, clock=world.clock, ids=world.ids)
    job = (await submit(ProcessBookCommand(OWNER, "0306406152"))).job
    cancel = CancelJob(uow_factory=world.uow, queue=world.queue, clock=world.clock)

    with pytest.raises(JobNotFound):
        await cancel(CancelJobCommand(uuid.UUID(int=2000), job.id))
    cancelled = await cancel(CancelJobCommand(OWNER, job.id))
    assert cancelled.status is JobStatus.CANCELLED
    assert world.uow.db.jobs[job.id].status is JobStatus.CANCELLED
    assert world.queue.cancelled == [job.id]
    assert world.queue.queued == []
    with pytest.raises(InvalidJobTransition):
        await cancel(CancelJobCommand(OWNER, job.id))


async def test_get_job_hides_other_owners_jobs(world: World) -> None:
    submit = ProcessBook(uow_factory=world.uow, queue=world.queue, clock=world.clock, ids=world.ids)
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

    login = Login(uow_factory=world.uow, hasher=hasher, tokens=tokens)
    issued = await login(LoginCommand("ADA@example.com", "correct horse"))
    current = CurrentUser(uow_factory=world.uow, tokens=tokens)
    assert (await current(issued.token)).id == user.id

    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("ada@example.com", "wrong horse"))
    before = hasher.verifications
    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("nobody@example.com", "correct horse"))
    assert hasher.verifications == before + 1  # an unknown email still costs a verification

    world.uow.db.users[user.id] = replace(user, is_active=False)
    with pytest.raises(InvalidToken):
        await current(issued.token)
    with pytest.raises(InvalidCredentials):
        await login(LoginCommand("ada@example.com", "correct horse"))


async def test_the_local_user_is_created_once(world: World) -> None:
    first = await LocalUser(uow_factory=world.uow, clock=world.clock, ids=world.ids)()
    second = await LocalUser(uow_factory=world.uow, clock=world.clock, ids=world.ids)()
    assert first.id == second.id
    assert len(world.uow.db.users) == 1
