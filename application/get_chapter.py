"""GetChapter: one chapter of a book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.get_book import load_book
from domain.errors import ChapterNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.ports import UnitOfWork, UnitOfWorkFactory
    from domain.chapter import Chapter


@dataclass(frozen=True, slots=True)
class ChapterRef:
    """A chapter by book and number."""

    book_id: UUID
    number: int


async def load_chapter(uow: UnitOfWork, ref: ChapterRef) -> Chapter:
    """The chapter, or BookNotFound / ChapterNotFound."""
    await load_book(uow, ref.book_id)
    chapter = await uow.chapters.get(ref.book_id, ref.number)
    if chapter is None:
        raise ChapterNotFound(f"book {ref.book_id} has no chapter {ref.number}")
    return chapter


class GetChapter:
    """Return one chapter. Raises BookNotFound or ChapterNotFound."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, ref: ChapterRef) -> Chapter:
        async with self._uow() as uow:
            return await load_chapter(uow, ref)
