"""ListChapters: a book's chapters in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.get_book import load_book

if TYPE_CHECKING:
    from uuid import UUID

    from application.ports import UnitOfWorkFactory
    from domain.chapter import Chapter


class ListChapters:
    """Return a book's chapters. Raises BookNotFound."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID) -> list[Chapter]:
        async with self._uow() as uow:
            await load_book(uow, book_id)
            return await uow.chapters.list_for_book(book_id)
