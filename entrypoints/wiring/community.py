"""The community feature: profiles, genres, reviews, favourites, catalogue, search and
recommendations. The rate limiter is the accounts feature's, handed in by the container."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from application.community.browse_catalogue import BrowseCatalogue
from application.community.cursor import CursorCodec
from application.community.favorites import AddFavorite, ListFavorites, RemoveFavorite
from application.community.genres import ListGenres, TagBookGenres
from application.community.list_reviews import (
    GetBookRating,
    GetReview,
    ListBookReviews,
    ListUserReviews,
)
from application.community.profile import GetProfile, UpdateProfile
from application.community.recommend import (
    RecommendGenre,
    RecommendPersonal,
    RecommendPopular,
)
from application.community.reviews import DeleteReview, EditReview, FlagReview, PostReview
from application.community.search_books import SearchBooks
from application.community.similarities import ComputeSimilarities

if TYPE_CHECKING:
    from entrypoints.settings import Settings


def cursor_key(settings: Settings) -> bytes:
    """CURSOR_SECRET_KEY, else a key derived from JWT_SECRET_KEY or API_KEY, else random."""
    if settings.cursor_secret_key:
        return settings.cursor_secret_key.encode()
    secret = settings.jwt_secret_key or settings.api_key
    if secret:
        return hmac.new(secret.encode(), b"bookbytes catalogue cursors", hashlib.sha256).digest()
    return os.urandom(32)


def make_book_search(uow_factory: Any, engine: Any) -> Any:
    """Search over whichever database the unit of work uses (``engine`` is a provider,
    called only for SQL databases)."""
    from adapters.memory.community import MemoryBookSearch
    from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory

    if isinstance(uow_factory, MemoryUnitOfWorkFactory):
        return MemoryBookSearch(uow_factory.db)
    from adapters.sqlalchemy.search import make_book_search as make

    return make(engine())


class CommunityContainer(containers.DeclarativeContainer):
    """Profiles, genres, reviews and ratings, favourites, catalogue, search, recommendations."""

    core = providers.DependenciesContainer()
    rate_limiter: providers.Dependency[Any] = providers.Dependency()

    cursors = providers.Singleton(CursorCodec, providers.Callable(cursor_key, core.settings))
    search = providers.Singleton(make_book_search, core.uow_factory, core.engine.provider)

    get_profile = providers.Factory(GetProfile, uow_factory=core.uow_factory)
    update_profile = providers.Factory(
        UpdateProfile, uow_factory=core.uow_factory, clock=core.clock
    )
    list_genres = providers.Factory(ListGenres, uow_factory=core.uow_factory)
    tag_book_genres = providers.Factory(TagBookGenres, uow_factory=core.uow_factory)
    post_review = providers.Factory(
        PostReview,
        uow_factory=core.uow_factory,
        clock=core.clock,
        ids=core.ids,
        limiter=rate_limiter,
        per_hour=core.settings.provided.reviews_per_hour,
    )
    edit_review = providers.Factory(EditReview, uow_factory=core.uow_factory, clock=core.clock)
    delete_review = providers.Factory(DeleteReview, uow_factory=core.uow_factory, clock=core.clock)
    flag_review = providers.Factory(FlagReview, uow_factory=core.uow_factory, clock=core.clock)
    list_book_reviews = providers.Factory(ListBookReviews, uow_factory=core.uow_factory)
    list_user_reviews = providers.Factory(ListUserReviews, uow_factory=core.uow_factory)
    get_review = providers.Factory(GetReview, uow_factory=core.uow_factory)
    get_book_rating = providers.Factory(GetBookRating, uow_factory=core.uow_factory)
    add_favorite = providers.Factory(AddFavorite, uow_factory=core.uow_factory, clock=core.clock)
    remove_favorite = providers.Factory(RemoveFavorite, uow_factory=core.uow_factory)
    list_favorites = providers.Factory(ListFavorites, uow_factory=core.uow_factory)
    browse_catalogue = providers.Factory(
        BrowseCatalogue, uow_factory=core.uow_factory, cursors=cursors
    )
    search_books = providers.Factory(SearchBooks, uow_factory=core.uow_factory, search=search)
    recommend_popular = providers.Factory(RecommendPopular, uow_factory=core.uow_factory)
    recommend_genre = providers.Factory(RecommendGenre, uow_factory=core.uow_factory)
    recommend_personal = providers.Factory(RecommendPersonal, uow_factory=core.uow_factory)
    compute_similarities = providers.Factory(ComputeSimilarities, uow_factory=core.uow_factory)


__all__ = ["CommunityContainer"]
