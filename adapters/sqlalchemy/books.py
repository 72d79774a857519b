"""SqlAlchemyBookRepository: books, and the ISBNs that point at them."""

from __future__ import annotations

import builtins
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository, unique_rule
from adapters.sqlalchemy.tables.books import WORK_INDEX, book_isbns, books
from domain.book import Book
from domain.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from domain.book import BookIsbn
    from domain.isbn import Isbn

_FIELDS = (
    "id", "title", "author", "language", "created_at", "updated_at", "work_key", "edition",
    "publisher", "pages", "publish_date", "cover_url", "owner_id",
)  # fmt: skip

unique_rule(
    WORK_INDEX,
    "books.work_key, books.language",
    Conflict("a book for this work and language already exists"),
)


class SqlAlchemyBookRepository(SqlRepository):
    """BookRepository over the ``books`` and ``book_isbns`` tables.

    A loaded Book's ``isbns`` are the ISBNs that point at it (ISBN-13s first);
    ``save`` ignores ``isbns`` — ``add_isbns`` is how ISBNs are recorded.
    """

    async def get(self, book_id: UUID) -> Book | None:
        return await self._one(sa.select(books).where(books.c.id == book_id))

    async def find_by_isbn(self, isbn: Isbn) -> Book | None:
        forms = [text for text in (isbn.isbn13, isbn.isbn10) if text is not None]
        query = (
            sa.select(books)
            .join(book_isbns, book_isbns.c.book_id == books.c.id)
            .where(book_isbns.c.isbn.in_(forms))
            .order_by(book_isbns.c.isbn_type.desc())
            .limit(1)
        )
        return await self._one(query)

    async def find_by_work(self, work_key: str, language: str) -> Book | None:
        query = (
            sa.select(books)
            .where(books.c.work_key == work_key, books.c.language == language)
            .order_by(books.c.created_at, books.c.id)
            .limit(1)
        )
        return await self._one(query)

    async def save(self, book: Book) -> None:
        row = {name: getattr(book, name) for name in _FIELDS}
        await self._write(self._upsert(books, [row], key=["id"]))

    async def add_isbns(self, isbns: Sequence[BookIsbn]) -> None:
        latest = {row.isbn: row for row in isbns}  # the last mention of an ISBN wins
        if not latest:
            return
        rows = [
            {"id": uuid.uuid4(), "isbn": r.isbn, "isbn_type": r.isbn_type, "book_id": r.book_id}
            for r in latest.values()
        ]
        statement = self._upsert(
            book_isbns, rows, key=["isbn"], keep={"id"}, extra={"updated_at": sa.func.now()}
        )
        await self._write(statement)

    async def _one(self, query: sa.Select[Any]) -> Book | None:
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else (await self._books([row]))[0]

    async def _books(self, rows: Sequence[sa.RowMapping]) -> builtins.list[Book]:
        """Domain books for ``rows``, with their ISBNs loaded in one query."""
        if not rows:
            return []
        query = (
            sa.select(book_isbns.c.book_id, book_isbns.c.isbn)
            .where(book_isbns.c.book_id.in_([row["id"] for row in rows]))
            .order_by(book_isbns.c.isbn_type.desc(), book_isbns.c.isbn)
        )
        known: defaultdict[UUID, builtins.list[str]] = defaultdict(builtins.list)
        for book_id, isbn in await self._session.execute(query):
            known[book_id].append(isbn)
        return [
            Book(**{name: row[name] for name in _FIELDS}, isbns=tuple(known[row["id"]]))
            for row in rows
        ]
