"""ListBooks: the catalogue, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from application.ports import BookFilter, PageRequest

if TYPE_CHECKING:
    from application.ports import Page, UnitOfWorkFactory
    from domain.book import Book


@dataclass(frozen=True, slots=True)
class ListBooksQuery:
    """Which page, with which filters."""

    page: PageRequest = field(default_factory=PageRequest)
    filters: BookFilter = field(default_factory=BookFilter)


class ListBooks:
    """Page through the catalogue ordered by title."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, query: ListBooksQuery) -> Page[Book]:
        async with self._uow() as uow:
            return await uow.books.list(query.page, query.filters)
