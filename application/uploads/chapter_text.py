"""GetChapterText: the extracted text of a chapter of a book made from an upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import BookNotFound, ChapterNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.uploads.ports import ExtractedChapter, UploadBooksUnitOfWorkFactory


class GetChapterText:
    """Return a chapter's text to the book's owner. Raises BookNotFound (no such book, or
    someone else's) or ChapterNotFound (no such chapter, a book found by ISBN has no text,
    or the upload was deleted)."""

    def __init__(self, *, uow_factory: UploadBooksUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID, number: int, viewer_id: UUID) -> ExtractedChapter:
        async with self._uow() as uow:
            book = await uow.books.get(book_id)
            if book is None or not book.visible_to(viewer_id):
                raise BookNotFound(f"no book {book_id}")
            upload = await uow.uploads.find_by_book(book_id)
            text = await uow.uploads.chapter_text(upload.id, number) if upload else None
        if text is None:
            raise ChapterNotFound(f"book {book_id} has no text for chapter {number}")
        return text


__all__ = ["GetChapterText"]
