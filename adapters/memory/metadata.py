"""A deterministic BookMetadataSource: every valid ISBN is a book unless told otherwise."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.book import Edition
from domain.errors import BookNotFound

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.isbn import Isbn


class FakeBookMetadataSource:
    """Answers from ``editions``; ISBNs in ``unknown`` are not found; any other ISBN is
    made up deterministically ("Book 978…" by "Ada Writer", English, no table of contents).
    """

    def __init__(self, editions: Iterable[Edition] = (), unknown: Iterable[str] = ()) -> None:
        self.editions = {e.isbn.value: e for e in editions}
        self.unknown = set(unknown)
        self.lookups: list[str] = []

    async def lookup(self, isbn: Isbn) -> Edition:
        self.lookups.append(isbn.value)
        if isbn.value in self.unknown:
            raise BookNotFound(f"no book with ISBN {isbn}")
        if isbn.value in self.editions:
            return self.editions[isbn.value]
        return Edition(
            isbn=isbn,
            title=f"Book {isbn.value}",
            authors=("Ada Writer",),
            language="en",
            publisher="Fake Press",
            publish_date=date(2020, 1, 1),
            pages=200,
            work_key=f"/works/FAKE{isbn.value}W",
        )

    async def other_editions(self, edition: Edition) -> list[Edition]:
        return [
            e
            for e in self.editions.values()
            if e.work_key is not None and e.work_key == edition.work_key and e != edition
        ]
