"""Ports every feature shares: pages of listings, transactions, time and ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, Self, TypeVar

if TYPE_CHECKING:
    from datetime import datetime
    from types import TracebackType
    from uuid import UUID

T = TypeVar("T")
U_co = TypeVar("U_co", covariant=True)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a listing to return."""

    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One slice of a listing and the size of the whole."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int


class UnitOfWork(Protocol):
    """One transaction; nothing is kept unless ``commit`` is called.

    Each feature extends it with the repositories it needs (``BooksUnitOfWork``, ...).
    """

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol[U_co]):
    """Makes a fresh unit of work per transaction (safe to use concurrently)."""

    def __call__(self) -> U_co: ...


class Clock(Protocol):
    """The current time, UTC."""

    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    """New unique ids."""

    def new_id(self) -> UUID: ...


__all__ = ["Clock", "IdGenerator", "Page", "PageRequest", "UnitOfWork", "UnitOfWorkFactory"]
