"""/api/v1/users, /genres, /reviews and /recommendations: the community's own routes."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from application.community.favorites import AddFavorite, ListFavorites, RemoveFavorite
from application.community.genres import ListGenres
from application.community.list_reviews import GetReview, ListUserReviews
from application.community.profile import GetProfile, ProfileChange, UpdateProfile
from application.community.recommend import (
    RecommendGenre,
    RecommendPersonal,
    RecommendPopular,
)
from application.community.reviews import DeleteReview, EditReview, FlagReview, ReviewChange
from domain.user import User
from entrypoints.http.community.schemas import (
    BookRatingView,
    BookView,
    Envelope,
    FlagRequest,
    GenreView,
    ProfileUpdate,
    ProfileView,
    ReviewUpdate,
    ReviewView,
    ReviewWritten,
    books,
    paged,
)
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import errors

PageNumber = Annotated[int, Parameter(ge=1, le=100_000, description="page number, from 1")]
PerPage = Annotated[int, Parameter(ge=1, le=100, description="items per page")]
Count = Annotated[int, Parameter(ge=1, le=50, description="how many books")]


class UsersController(Controller):
    """The caller's profile, favourites and reviews."""

    path = "/api/v1/users"
    tags = ["community"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @get("/profile", operation_id="getProfile", responses=errors(401),
         dependencies={"get_profile": use_case("community.get_profile")})  # fmt: skip
    async def get_profile(
        self, user: NamedDependency[User], get_profile: NamedDependency[GetProfile]
    ) -> Envelope[ProfileView]:
        """Your first and last name."""
        return Envelope(data=ProfileView.of(await get_profile(user.id)))

    @put("/profile", operation_id="updateProfile", responses=errors(401, 422),
         dependencies={"update": use_case("community.update_profile")})  # fmt: skip
    async def update_profile(
        self,
        user: NamedDependency[User],
        update: NamedDependency[UpdateProfile],
        data: JSONBody[ProfileUpdate],
    ) -> Envelope[ProfileView]:
        """Change your names (at most 100 characters each; HTML is stripped)."""
        profile = await update(ProfileChange(user.id, data.first_name, data.last_name))
        return Envelope(data=ProfileView.of(profile), message="profile updated")

    @get("/favorites", operation_id="listFavorites", responses=errors(401),
         dependencies={"list_favorites": use_case("community.list_favorites")})  # fmt: skip
    async def list_favorites(
        self,
        user: NamedDependency[User],
        list_favorites: NamedDependency[ListFavorites],
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Envelope[list[BookView]]:
        """Your favourite books, most recently added first."""
        found = await list_favorites(user.id, page, per_page)
        return Envelope(data=books(found.items), pagination=paged(page, per_page, found.total))

    @post("/favorites/{book_id:uuid}", operation_id="addFavorite", status_code=201,
          responses=errors(401, 404),
          dependencies={"add": use_case("community.add_favorite")})  # fmt: skip
    async def add_favorite(
        self, user: NamedDependency[User], add: NamedDependency[AddFavorite],
        book_id: FromPath[UUID],
    ) -> Envelope[dict[str, str]]:  # fmt: skip
        """Keep a book among your favourites (again is fine)."""
        added = await add(user.id, book_id)
        message = "added to favourites" if added else "already a favourite"
        return Envelope(data={"book_id": str(book_id)}, message=message)

    @delete("/favorites/{book_id:uuid}", operation_id="removeFavorite", status_code=200,
            responses=errors(401, 404),
            dependencies={"remove": use_case("community.remove_favorite")})  # fmt: skip
    async def remove_favorite(
        self, user: NamedDependency[User], remove: NamedDependency[RemoveFavorite],
        book_id: FromPath[UUID],
    ) -> Envelope[dict[str, str]]:  # fmt: skip
        """Drop a book from your favourites (404 when it was not one)."""
        await remove(user.id, book_id)
        return Envelope(data={"book_id": str(book_id)}, message="removed from favourites")

    @get("/reviews", operation_id="listMyReviews", responses=errors(401),
         dependencies={"list_reviews": use_case("community.list_user_reviews")})  # fmt: skip
    async def list_reviews(
        self,
        user: NamedDependency[User],
        list_reviews: NamedDependency[ListUserReviews],
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Envelope[list[ReviewView]]:
        """Your reviews, newest first."""
        found = await list_reviews(user.id, page, per_page)
        data = [ReviewView.of(r) for r in found.items]
        return Envelope(data=data, pagination=paged(page, per_page, found.total))


class GenresController(Controller):
    """The curated genres."""

    path = "/api/v1/genres"
    tags = ["community"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @get("/", operation_id="listGenres", responses=errors(401),
         dependencies={"list_genres": use_case("community.list_genres")})  # fmt: skip
    async def list_genres(
        self, list_genres: NamedDependency[ListGenres]
    ) -> Envelope[list[GenreView]]:
        """Every genre with its number of books; filter the catalogue with ``genre=<id>``."""
        return Envelope(data=[GenreView.of(g) for g in await list_genres()])


class ReviewsController(Controller):
    """One review: read it; its author edits or deletes it; anyone flags it."""

    path = "/api/v1/reviews"
    tags = ["community"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @get("/{review_id:uuid}", operation_id="getReview", responses=errors(401, 404),
         dependencies={"get_review": use_case("community.get_review")})  # fmt: skip
    async def get_review(
        self, get_review: NamedDependency[GetReview], review_id: FromPath[UUID]
    ) -> Envelope[ReviewView]:
        """One review."""
        return Envelope(data=ReviewView.of(await get_review(review_id)))

    @put("/{review_id:uuid}", operation_id="updateReview", responses=errors(401, 403, 404, 422),
         dependencies={"edit": use_case("community.edit_review")})  # fmt: skip
    async def update_review(
        self,
        user: NamedDependency[User],
        edit: NamedDependency[EditReview],
        review_id: FromPath[UUID],
        data: JSONBody[ReviewUpdate],
    ) -> Envelope[ReviewWritten]:
        """Change your review's rating or text (403 for someone else's)."""
        result = await edit(ReviewChange(user.id, review_id, data.rating, data.text))
        rating = result.rating
        body = ReviewWritten(
            review=ReviewView.of(result.review),
            book=BookRatingView(
                book_id=rating.book_id,
                average_rating=float(rating.average_rating),
                total_reviews=rating.total_reviews,
            ),
        )
        return Envelope(data=body, message="review updated")

    @delete("/{review_id:uuid}", operation_id="deleteReview", status_code=200,
            responses=errors(401, 403, 404),
            dependencies={"remove": use_case("community.delete_review")})  # fmt: skip
    async def delete_review(
        self, user: NamedDependency[User], remove: NamedDependency[DeleteReview],
        review_id: FromPath[UUID],
    ) -> Envelope[BookRatingView]:  # fmt: skip
        """Delete your review (kept, hidden); answers the book's rating after."""
        rating = await remove(user.id, review_id)
        body = BookRatingView(
            book_id=rating.book_id,
            average_rating=float(rating.average_rating),
            total_reviews=rating.total_reviews,
        )
        return Envelope(data=body, message="review deleted")

    @post("/{review_id:uuid}/flag", operation_id="flagReview", status_code=202,
          responses=errors(401, 404, 422),
          dependencies={"flag": use_case("community.flag_review")})  # fmt: skip
    async def flag_review(
        self,
        user: NamedDependency[User],
        flag: NamedDependency[FlagReview],
        review_id: FromPath[UUID],
        data: JSONBody[FlagRequest],
    ) -> Envelope[dict[str, str]]:
        """Report a review for moderation."""
        await flag(user.id, review_id, data.reason)
        return Envelope(data={"review_id": str(review_id)}, message="flagged for moderation")


class RecommendationsController(Controller):
    """Books to read next."""

    path = "/api/v1/recommendations"
    tags = ["community"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @get("/popular", operation_id="recommendPopular", responses=errors(401),
         dependencies={"recommend": use_case("community.recommend_popular")})  # fmt: skip
    async def popular(
        self, recommend: NamedDependency[RecommendPopular], limit: Count = 10
    ) -> Envelope[list[BookView]]:
        """Best rated, confidence-aware (a Bayesian average: few ratings count for less)."""
        return Envelope(data=books(await recommend(limit)))

    @get("/genre/{genre_id:str}", operation_id="recommendGenre", responses=errors(401, 404),
         dependencies={"recommend": use_case("community.recommend_genre")})  # fmt: skip
    async def genre(
        self, recommend: NamedDependency[RecommendGenre], genre_id: FromPath[str],
        limit: Count = 10,
    ) -> Envelope[list[BookView]]:  # fmt: skip
        """The popular list within one genre."""
        return Envelope(data=books(await recommend(genre_id, limit)))

    @get("/personal", operation_id="recommendPersonal", responses=errors(401),
         dependencies={"recommend": use_case("community.recommend_personal")})  # fmt: skip
    async def personal(
        self,
        user: NamedDependency[User],
        recommend: NamedDependency[RecommendPersonal],
        limit: Count = 10,
    ) -> Envelope[list[BookView]]:
        """Books like the ones you favourite or rate 4+, never ones you have; new readers
        get their genres' and then the popular books."""
        return Envelope(data=books(await recommend(user.id, limit)))
