"""GetBook: one book of the catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import BookNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.books.ports import BooksUnitOfWork, BooksUnitOfWorkFactory
    from domain.book import Book


async def load_book(uow: BooksUnitOfWork, book_id: UUID, viewer_id: UUID | None = None) -> Book:
    """The book, or BookNotFound (also for a book made from another user's upload)."""
    book = await uow.books.get(book_id)
    if book is None or not book.visible_to(viewer_id):
        raise BookNotFound(f"no book {book_id}")
    return book


class GetBook:
    """Return a book by id. Raises BookNotFound."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID, viewer_id: UUID | None = None) -> Book:
        async with self._uow() as uow:
            return await load_book(uow, book_id, viewer_id)
