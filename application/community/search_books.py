"""SearchBooks: full-text search over the catalogue; an ISBN finds its book first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import InvalidIsbn
from domain.isbn import Isbn

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import (
        BookSearch,
        CatalogueBook,
        CommunityUnitOfWorkFactory,
    )

MAX_QUERY_LENGTH = 200


class SearchBooks:
    """Books matching ``text``, best first (empty text: nothing)."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, search: BookSearch) -> None:
        self._uow = uow_factory
        self._search = search

    async def __call__(
        self, text: str, limit: int = 20, viewer_id: UUID | None = None
    ) -> list[CatalogueBook]:
        """Books matching ``text``; books made from uploads only for their owner."""
        text = " ".join(text.split())[:MAX_QUERY_LENGTH]
        if not text:
            return []
        ids: list[UUID] = []
        async with self._uow() as uow:
            try:
                isbn = Isbn.parse(text)
            except InvalidIsbn:
                pass
            else:
                ids = await uow.catalogue.find_ids_by_isbn(isbn.isbn13, isbn.isbn10)
            hits = await self._search.search(text, limit=limit)
            ids += [hit.book_id for hit in hits if hit.book_id not in ids]
            found = await uow.catalogue.get_many(ids)
        return [item for item in found if item.book.visible_to(viewer_id)][:limit]
