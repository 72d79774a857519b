"""AddFavorite, RemoveFavorite and ListFavorites: the books a user keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.community import Favorite
from domain.errors import BookNotFound, NotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.community.ports import CatalogueBook, CommunityUnitOfWorkFactory
    from application.shared.ports import Clock


class AddFavorite:
    """Keep a book (idempotent); True when newly kept. Raises BookNotFound."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    async def __call__(self, user_id: UUID, book_id: UUID) -> bool:
        async with self._uow() as uow:
            await uow.reviews.lock_book(book_id)
            if not await uow.catalogue.get_many([book_id]):
                raise BookNotFound(f"no book {book_id}")
            added = await uow.favorites.add(Favorite(user_id, book_id, self._clock.now()))
            await uow.reviews.refresh_rating(book_id)
            await uow.commit()
            return added


class RemoveFavorite:
    """Stop keeping a book. Raises NotFound when it was not a favourite."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, user_id: UUID, book_id: UUID) -> None:
        async with self._uow() as uow:
            await uow.reviews.lock_book(book_id)
            if not await uow.favorites.remove(user_id, book_id):
                raise NotFound(f"book {book_id} is not one of your favourites")
            await uow.reviews.refresh_rating(book_id)
            await uow.commit()


@dataclass(frozen=True, slots=True)
class FavoritePage:
    items: list[CatalogueBook]
    total: int
    page: int
    per_page: int


class ListFavorites:
    """The user's favourite books, most recently kept first."""

    def __init__(self, *, uow_factory: CommunityUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, user_id: UUID, page: int = 1, per_page: int = 20) -> FavoritePage:
        async with self._uow() as uow:
            ids, total = await uow.favorites.list_for_user(user_id, per_page, (page - 1) * per_page)
            books = await uow.catalogue.get_many(ids)
        return FavoritePage(books, total, page, per_page)
