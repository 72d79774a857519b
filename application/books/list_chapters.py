"""ListChapters and GetChapter: a book's chapters with their audio in one rendition.

Without a rendition id the audio comes from the book's latest complete rendition (or,
while none is complete, the latest one started), so a client that never heard of
renditions gets the audio it always got.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.get_book import load_book
from domain.errors import ChapterNotFound, RenditionNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.books.ports import BooksUnitOfWork, BooksUnitOfWorkFactory
    from domain.chapter import Chapter
    from domain.rendition import ChapterAudio, Rendition


@dataclass(frozen=True, slots=True)
class ChaptersQuery:
    """A book's chapters, with audio from ``rendition_id`` (None: the default rendition)."""

    book_id: UUID
    rendition_id: UUID | None = None
    viewer_id: UUID | None = None  # who asks: a book from someone else's upload is not found


@dataclass(frozen=True, slots=True)
class ChapterRef:
    """One chapter by book and number, with audio from ``rendition_id`` (None: default)."""

    book_id: UUID
    number: int
    rendition_id: UUID | None = None
    viewer_id: UUID | None = None  # who asks: a book from someone else's upload is not found


@dataclass(frozen=True, slots=True)
class ChapterView:
    """A chapter, the rendition its audio is from, and that audio (None: not spoken yet)."""

    chapter: Chapter
    rendition: Rendition | None
    audio: ChapterAudio | None


async def pick_rendition(
    uow: BooksUnitOfWork, book_id: UUID, rendition_id: UUID | None
) -> Rendition | None:
    """The rendition asked for (RenditionNotFound unless it is the book's), else the default."""
    if rendition_id is not None:
        rendition = await uow.renditions.get(rendition_id)
        if rendition is None or rendition.book_id != book_id:
            raise RenditionNotFound(f"book {book_id} has no rendition {rendition_id}")
        return rendition
    renditions = await uow.renditions.list_for_book(book_id)
    complete = [r for r in renditions if r.is_complete]
    newest = complete or renditions
    return newest[0] if newest else None


async def load_views(
    uow: BooksUnitOfWork, book_id: UUID, rendition_id: UUID | None, viewer_id: UUID | None = None
) -> list[ChapterView]:
    """Every chapter of the book with its audio in the chosen rendition."""
    await load_book(uow, book_id, viewer_id)
    rendition = await pick_rendition(uow, book_id, rendition_id)
    audio = {a.number: a for a in await uow.renditions.audio(rendition.id)} if rendition else {}
    return [
        ChapterView(chapter, rendition, audio.get(chapter.number))
        for chapter in await uow.chapters.list_for_book(book_id)
    ]


class ListChapters:
    """Return a book's chapters. Raises BookNotFound or RenditionNotFound."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, query: ChaptersQuery) -> list[ChapterView]:
        async with self._uow() as uow:
            return await load_views(uow, query.book_id, query.rendition_id, query.viewer_id)


class GetChapter:
    """Return one chapter. Raises BookNotFound, ChapterNotFound or RenditionNotFound."""

    def __init__(self, *, uow_factory: BooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, ref: ChapterRef) -> ChapterView:
        async with self._uow() as uow:
            return await load_chapter(uow, ref)


async def load_chapter(uow: BooksUnitOfWork, ref: ChapterRef) -> ChapterView:
    """One chapter's view, or BookNotFound / ChapterNotFound / RenditionNotFound."""
    await load_book(uow, ref.book_id, ref.viewer_id)
    rendition = await pick_rendition(uow, ref.book_id, ref.rendition_id)
    chapter = await uow.chapters.get(ref.book_id, ref.number)
    if chapter is None:
        raise ChapterNotFound(f"book {ref.book_id} has no chapter {ref.number}")
    audio = None
    if rendition is not None:
        audio = next(
            (a for a in await uow.renditions.audio(rendition.id) if a.number == ref.number), None
        )
    return ChapterView(chapter, rendition, audio)


__all__ = [
    "ChapterRef",
    "ChapterView",
    "ChaptersQuery",
    "GetChapter",
    "ListChapters",
    "load_chapter",
    "pick_rendition",
]
