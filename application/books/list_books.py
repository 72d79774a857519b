"""ListBooks: the catalogue, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from application.books.ports import BookFilter
from application.shared.ports import PageRequest

if TYPE_CHECKING:
    from application.books.ports import BooksUnitOfWorkFactory
    from application.shared.ports import Page
    from domain.book import Book


@dataclass(frozen=True, slots=True)
class ListBooksQuery:
    """Which page, with which filters."""

    page: PageRequest = field(default_factory=PageRequest)
    filters: BookFilter = field(default_factory=BookFilter)


class ListBooks:
    """Page through the catalogue ordered by title."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, query: ListBooksQuery) -> Page[Book]:
        async with self._uow() as uow:
            return await uow.books.list(query.page, query.filters)
