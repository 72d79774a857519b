"""In-memory repositories of the books feature: books and ISBNs, chapters, renditions."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from adapters.memory.database import MemoryRepository
from domain.errors import Conflict

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from adapters.memory.database import MemoryDatabase, Staged
    from domain.book import Book, BookIsbn
    from domain.chapter import Chapter
    from domain.isbn import Isbn
    from domain.recipe import Recipe
    from domain.rendition import ChapterAudio, Rendition


class MemoryBookRepository(MemoryRepository):
    """BookRepository over dicts."""

    def _books(self) -> dict[UUID, Book]:
        """Books as loaded: each carries its known ISBNs, ISBN-13 forms first."""
        known: dict[UUID, list[str]] = {}
        for row in self._rows("isbns").values():
            known.setdefault(row.book_id, []).append(row.isbn)
        return {
            book_id: replace(
                book, isbns=tuple(sorted(known.get(book_id, []), key=lambda i: (len(i) != 13, i)))
            )
            for book_id, book in self._rows("books").items()
        }

    async def get(self, book_id: UUID) -> Book | None:
        return self._books().get(book_id)

    async def find_by_isbn(self, isbn: Isbn) -> Book | None:
        isbns = self._rows("isbns")
        for text in (isbn.isbn13, isbn.isbn10):
            if text is not None and text in isbns:
                return self._books().get(isbns[text].book_id)
        return None

    async def find_by_work(self, work_key: str, language: str) -> Book | None:
        matches = [
            b for b in self._books().values() if b.work_key == work_key and b.language == language
        ]
        return min(matches, key=lambda b: b.created_at, default=None)

    async def save(self, book: Book) -> None:
        self._stage("books", book.id, book)

    async def add_isbns(self, isbns: Sequence[BookIsbn]) -> None:
        for row in isbns:
            self._stage("isbns", row.isbn, row)


class MemoryChapterRepository(MemoryRepository):
    """ChapterRepository over dicts."""

    async def list_for_book(self, book_id: UUID) -> list[Chapter]:
        return sorted(
            (c for c in self._rows("chapters").values() if c.book_id == book_id),
            key=lambda c: c.number,
        )

    async def get(self, book_id: UUID, number: int) -> Chapter | None:
        chapter: Chapter | None = self._rows("chapters").get((book_id, number))
        return chapter

    async def save(self, chapter: Chapter) -> None:
        key = (chapter.book_id, chapter.number)
        stored = self._rows("chapters").get(key)
        if stored is not None and stored.id != chapter.id:
            chapter = replace(chapter, id=stored.id, created_at=stored.created_at)
        self._stage("chapters", key, chapter)


class MemoryRenditionRepository(MemoryRepository):
    """RenditionRepository over dicts."""

    async def get(self, rendition_id: UUID) -> Rendition | None:
        rendition: Rendition | None = self._rows("renditions").get(rendition_id)
        return rendition

    async def find(self, book_id: UUID, recipe: Recipe) -> Rendition | None:
        return _find(self._rows("renditions"), book_id, recipe)

    async def list_for_book(self, book_id: UUID) -> list[Rendition]:
        return sorted(
            (r for r in self._rows("renditions").values() if r.book_id == book_id),
            key=lambda r: (r.created_at, str(r.id)),
            reverse=True,
        )

    async def add(self, rendition: Rendition) -> None:
        if await self.find(rendition.book_id, rendition.recipe) is not None:
            raise Conflict(f"book {rendition.book_id} already has this rendition")
        self._stage("renditions", rendition.id, rendition)

        def unique(db: MemoryDatabase) -> None:
            clash = _find(db.table("renditions"), rendition.book_id, rendition.recipe)
            if clash is not None and clash.id != rendition.id:
                raise Conflict(f"book {rendition.book_id} already has this rendition")

        self._check_at_commit(unique)

    async def save(self, rendition: Rendition) -> None:
        self._stage("renditions", rendition.id, rendition)

    async def audio(self, rendition_id: UUID) -> list[ChapterAudio]:
        return sorted(
            (a for a in self._rows("chapter_audio").values() if a.rendition_id == rendition_id),
            key=lambda a: a.number,
        )

    async def save_audio(self, audio: ChapterAudio) -> None:
        self._stage("chapter_audio", (audio.rendition_id, audio.number), audio)


def _find(rows: dict[UUID, Rendition], book_id: UUID, recipe: Recipe) -> Rendition | None:
    return next(
        (r for r in rows.values() if r.book_id == book_id and r.recipe.key == recipe.key), None
    )


class BooksRepositories:
    """The books feature's repositories, for a memory unit of work."""

    _db: MemoryDatabase
    _staged: Staged

    @cached_property
    def books(self) -> MemoryBookRepository:
        return MemoryBookRepository(self._db, self._staged)

    @cached_property
    def chapters(self) -> MemoryChapterRepository:
        return MemoryChapterRepository(self._db, self._staged)

    @cached_property
    def renditions(self) -> MemoryRenditionRepository:
        return MemoryRenditionRepository(self._db, self._staged)


__all__ = [
    "BooksRepositories",
    "MemoryBookRepository",
    "MemoryChapterRepository",
    "MemoryRenditionRepository",
]
