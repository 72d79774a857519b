"""BrowseCatalogue: the catalogue filtered and sorted, by page number or by cursor."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from application.community.ports import CatalogueFilter, CatalogueQuery, Sort
from domain.community import GENRES_BY_ID
from domain.errors import GenreNotFound

if TYPE_CHECKING:
    from collections.abc import Sequence

    from application.community.cursor import CursorCodec
    from application.community.ports import CatalogueBook, CommunityUnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class BrowseQuery:
    """Filters, order, and either ``page`` or cursor mode (``cursor`` None is page mode,
    "" the first slice in cursor mode)."""

    filters: CatalogueFilter = field(default_factory=CatalogueFilter)
    sort: Sort = Sort.TITLE
    per_page: int = 20
    page: int = 1
    offset: int | None = None
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class BrowseResult:
    """Books of one slice; page mode fills total/pages, cursor mode next_cursor/has_more."""

    items: Sequence[CatalogueBook]
    per_page: int
    offset: int = 0
    total: int | None = None
    page: int | None = None
    pages: int | None = None
    next_cursor: str | None = None
    has_more: bool = False


def scope_of(filters: CatalogueFilter, sort: Sort) -> str:
    """What a cursor is bound to: the filters and the sort, canonically."""
    return json.dumps(
        [sort.value, filters.title, filters.author, filters.language, filters.genre,
         filters.min_rating],
        separators=(",", ":"),
    )  # fmt: skip


class BrowseCatalogue:
    """Page through the catalogue. Raises GenreNotFound, InvalidCursor."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, cursors: CursorCodec) -> None:
        self._uow = uow_factory
        self._cursors = cursors

    async def __call__(self, query: BrowseQuery) -> BrowseResult:
        genre = query.filters.genre
        if genre is not None and genre not in GENRES_BY_ID:
            raise GenreNotFound(f"no genre {genre!r}; see GET /api/v1/genres")
        if query.cursor is None:
            return await self._page(query)
        return await self._after_cursor(query)

    async def _page(self, query: BrowseQuery) -> BrowseResult:
        offset = query.offset if query.offset is not None else (query.page - 1) * query.per_page
        async with self._uow() as uow:
            found = await uow.catalogue.list(
                CatalogueQuery(query.filters, query.sort, query.per_page, offset)
            )
        total = found.total or 0
        return BrowseResult(
            found.items,
            query.per_page,
            offset=offset,
            total=total,
            page=offset // query.per_page + 1,
            pages=math.ceil(total / query.per_page),
        )

    async def _after_cursor(self, query: BrowseQuery) -> BrowseResult:
        scope = scope_of(query.filters, query.sort)
        after = self._cursors.decode(scope, query.cursor) if query.cursor else None
        async with self._uow() as uow:
            found = await uow.catalogue.list(
                CatalogueQuery(
                    query.filters, query.sort, query.per_page + 1, after=after, count_total=False
                )
            )
        items = list(found.items[: query.per_page])
        has_more = len(found.items) > query.per_page
        next_cursor = (
            self._cursors.encode(scope, items[-1].sort_key(query.sort)) if has_more else None
        )
        return BrowseResult(items, query.per_page, next_cursor=next_cursor, has_more=has_more)
