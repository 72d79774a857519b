"""UnitOfWork contract: transactions behave alike on every adapter."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from domain.book import Book
from domain.user import User

if TYPE_CHECKING:
    from application.shared.ports import UnitOfWorkFactory

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def make_book(title: str = "Dune") -> Book:
    return Book(uuid.uuid4(), title, "Frank Herbert", "en", T0, T0)


def make_user(email: str) -> User:
    return User(uuid.uuid4(), email, "hash", T0)


async def test_rollback_leaves_nothing(uow_factory: UnitOfWorkFactory) -> None:
    book, user = make_book(), make_user("ada@example.com")
    async with uow_factory() as uow:
        await uow.books.save(book)
        await uow.users.add(user)
        await uow.rollback()
        assert await uow.books.get(book.id) is None
    async with uow_factory() as uow:
        assert await uow.books.get(book.id) is None
        assert await uow.users.get_by_email(user.email) is None


async def test_leaving_without_commit_discards_the_work(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    async with uow_factory() as uow:
        await uow.books.save(book)
        assert await uow.books.get(book.id) == book  # visible to its own unit of work
    async with uow_factory() as uow:
        assert await uow.books.get(book.id) is None


async def test_an_error_inside_the_block_discards_the_work(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.books.save(book)
            raise RuntimeError("boom")
    async with uow_factory() as uow:
        assert await uow.books.get(book.id) is None


async def test_uncommitted_work_is_invisible_until_commit(uow_factory: UnitOfWorkFactory) -> None:
    book = make_book()
    async with uow_factory() as writer:
        await writer.books.save(book)
        async with uow_factory() as reader:
            assert await reader.books.get(book.id) is None
        await writer.commit()
    async with uow_factory() as reader:
        assert await reader.books.get(book.id) == book


async def test_work_after_a_commit_needs_its_own_commit(uow_factory: UnitOfWorkFactory) -> None:
    kept, dropped = make_book("Kept"), make_book("Dropped")
    async with uow_factory() as uow:
        await uow.books.save(kept)
        await uow.commit()
        await uow.books.save(dropped)
    async with uow_factory() as uow:
        assert await uow.books.get(kept.id) == kept
        assert await uow.books.get(dropped.id) is None


async def test_units_of_work_run_concurrently(uow_factory: UnitOfWorkFactory) -> None:
    users = [make_user(f"user{i}@example.com") for i in range(8)]

    async def register(user: User) -> None:
        async with uow_factory() as uow:
            await uow.users.add(user)
            await uow.commit()

    await asyncio.gather(*(register(u) for u in users))
    async with uow_factory() as uow:
        for user in users:
            assert await uow.users.get(user.id) == user
