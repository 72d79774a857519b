"""FindBookByIsbn: the book any edition's ISBN points at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import BookNotFound
from domain.isbn import Isbn

if TYPE_CHECKING:
    from application.books.ports import BooksUnitOfWorkFactory
    from domain.book import Book


class FindBookByIsbn:
    """Look a book up by ISBN-10 or ISBN-13. Raises InvalidIsbn or BookNotFound."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, isbn_text: str) -> Book:
        isbn = Isbn.parse(isbn_text)
        async with self._uow() as uow:
            book = await uow.books.find_by_isbn(isbn)
        if book is None:
            raise BookNotFound(f"no book with ISBN {isbn}")
        return book
