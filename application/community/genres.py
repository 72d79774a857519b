"""ListGenres and TagBookGenres: the curated genres, and a book's place in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.community import GENRES, Genre, genre_ids_for

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from application.community.ports import CommunityUnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class GenreCount:
    """A genre and how many books it has."""

    genre: Genre
    books: int


class ListGenres:
    """Every curated genre with its number of books, in the curated order."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self) -> list[GenreCount]:
        async with self._uow() as uow:
            counts = await uow.genres.counts()
        return [GenreCount(genre, counts.get(genre.id, 0)) for genre in GENRES]


class TagBookGenres:
    """Put a book in the genres its metadata subjects or categories name."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, book_id: UUID, subjects: Sequence[str]) -> tuple[str, ...]:
        genre_ids = genre_ids_for(list(subjects))
        async with self._uow() as uow:
            await uow.genres.set_for_book(book_id, genre_ids)
            await uow.commit()
        return genre_ids
