"""Community repositories contract (catalogue, profiles, genres, reviews, favourites,
similarities): memory, SQLite and PostgreSQL behave alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from application.community.ports import CatalogueFilter, CatalogueQuery, Sort
from domain.book import Book, BookIsbn
from domain.community import Favorite, Profile, Review, ReviewFlag
from domain.errors import ReviewExists
from domain.isbn import Isbn

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def book(title: str, author: str = "Someone", minutes: int = 0, **more: Any) -> Book:
    at = T0 + timedelta(minutes=minutes)
    return Book(uuid.uuid4(), title, author, more.pop("language", "en"), at, at, **more)


async def add_books(uow_factory: Any, *books: Book) -> None:
    async with uow_factory() as uow:
        for b in books:
            await uow.books.save(b)
        await uow.commit()


async def review(uow_factory: Any, user: UUID, b: Book, rating: int) -> Review:
    r = Review(uuid.uuid4(), user, b.id, rating, "fine", T0, T0)
    async with uow_factory() as uow:
        await uow.reviews.lock_book(b.id)
        await uow.reviews.add(r)
        await uow.reviews.refresh_rating(b.id)
        await uow.commit()
    return r


async def test_profile_round_trip(uow_factory: Any, owner_id: UUID) -> None:
    async with uow_factory() as uow:
        assert await uow.profiles.get(owner_id) is None
        await uow.profiles.save(Profile(owner_id, "Ada", "Lovelace", T0))
        await uow.profiles.save(Profile(owner_id, "Ada", "King", T0))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.profiles.get(owner_id) == Profile(owner_id, "Ada", "King", T0)


async def test_one_live_review_per_user_and_book_and_exact_aggregates(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    dune = book("Dune")
    await add_books(uow_factory, dune)
    ada, bob = await add_user(), await add_user()
    first = await review(uow_factory, ada, dune, 5)
    with pytest.raises(ReviewExists):
        await review(uow_factory, ada, dune, 4)
    await review(uow_factory, bob, dune, 4)
    async with uow_factory() as uow:
        assert (await uow.reviews.find_live(ada, dune.id)) == first
        (item,) = await uow.catalogue.get_many([dune.id])
        assert (item.rating.total_reviews, item.rating.average_rating) == (2, Decimal("4.50"))
        await uow.reviews.lock_book(dune.id)
        await uow.reviews.save(Review(**{**_fields(first), "deleted_at": T0}))
        rating = await uow.reviews.refresh_rating(dune.id)
        await uow.commit()
    assert (rating.total_reviews, rating.average_rating) == (1, Decimal("4.00"))
    await review(uow_factory, ada, dune, 1)  # a deleted review does not block a new one
    async with uow_factory() as uow:
        items, total = await uow.reviews.list_for_book(dune.id, 10, 0)
        assert total == 2 and {r.rating for r in items} == {1, 4}
        assert (await uow.reviews.list_for_user(ada, 10, 0))[1] == 1
        assert await uow.reviews.add_flag(ReviewFlag(items[0].id, bob, "spam", T0))
        assert not await uow.reviews.add_flag(ReviewFlag(items[0].id, bob, "spam", T0))
        await uow.commit()


def _fields(r: Review) -> dict[str, Any]:
    return {name: getattr(r, name) for name in Review.__slots__}  # type: ignore[attr-defined]


async def test_catalogue_filters_sorts_and_counts(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    hobbit = book("The Hobbit", "J. R. R. Tolkien", minutes=1)
    dune = book("Dune", "Frank Herbert", minutes=2)
    miserables = book("Les Misérables", "Victor Hugo", minutes=3, language="fr")
    await add_books(uow_factory, hobbit, dune, miserables)
    async with uow_factory() as uow:
        await uow.genres.set_for_book(hobbit.id, ["fantasy", "fiction"])
        await uow.genres.set_for_book(dune.id, ["science-fiction", "fiction"])
        await uow.books.add_isbns([BookIsbn.all_for(dune.id, Isbn.parse("9780441013593"))[0]])
        await uow.commit()
        assert await uow.genres.counts() == {"fantasy": 1, "fiction": 2, "science-fiction": 1}
    user = await add_user()
    await review(uow_factory, user, dune, 5)
    await review(uow_factory, user, hobbit, 3)
    async with uow_factory() as uow:
        assert await uow.favorites.add(Favorite(user, hobbit.id, T0))
        assert not await uow.favorites.add(Favorite(user, hobbit.id, T0))
        await uow.reviews.refresh_rating(hobbit.id)
        await uow.commit()

    async def titles(sort: Sort = Sort.TITLE, **filters: Any) -> list[str]:
        async with uow_factory() as uow:
            found = await uow.catalogue.list(CatalogueQuery(CatalogueFilter(**filters), sort))
        return [item.book.title for item in found.items]

    assert await titles() == ["Dune", "Les Misérables", "The Hobbit"]
    assert await titles(Sort.NEWEST) == ["Les Misérables", "Dune", "The Hobbit"]
    assert await titles(Sort.RATING) == ["Dune", "The Hobbit", "Les Misérables"]
    assert await titles(Sort.POPULARITY) == ["The Hobbit", "Dune", "Les Misérables"]
    assert await titles(genre="fiction") == ["Dune", "The Hobbit"]
    assert await titles(genre="fantasy", author="tolkien") == ["The Hobbit"]
    assert await titles(language="fr") == ["Les Misérables"]
    assert await titles(min_rating=4.0) == ["Dune"]
    assert await titles(exclude=frozenset({dune.id})) == ["Les Misérables", "The Hobbit"]
    async with uow_factory() as uow:
        found = await uow.catalogue.list(CatalogueQuery(limit=1, offset=1))
        assert (found.total, [i.book.title for i in found.items]) == (3, ["Les Misérables"])
        (item,) = await uow.catalogue.get_many([hobbit.id])
        assert (item.favorites, item.genres, item.popularity) == (1, ("fantasy", "fiction"), 2)
        assert await uow.catalogue.find_ids_by_isbn("9780441013593", None) == [dune.id]
        assert await uow.favorites.list_for_user(user, 10, 0) == ([hobbit.id], 1)
        assert await uow.favorites.remove(user, hobbit.id)
        assert not await uow.favorites.remove(user, hobbit.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.favorites.list_for_user(user, 10, 0) == ([], 0)


async def test_catalogue_text_filters_are_case_blind_and_literal(uow_factory: Any) -> None:
    await add_books(
        uow_factory,
        book("Dune"),
        book("Dune Messiah", language="fr"),
        book("Emma", "Jane Austen"),
        book("100% Sure", "A. N. Other"),
        book("1000 Sure", "A. N. Other"),
    )

    async def titles(**filters: Any) -> tuple[list[str], int | None]:
        async with uow_factory() as uow:
            found = await uow.catalogue.list(CatalogueQuery(CatalogueFilter(**filters)))
        return [item.book.title for item in found.items], found.total

    assert await titles(title="dUNE") == (["Dune", "Dune Messiah"], 2)
    assert await titles(author="austen") == (["Emma"], 1)
    assert await titles(title="dune", language="en") == (["Dune"], 1)
    assert await titles(title="100%") == (["100% Sure"], 1)  # % is a character, not LIKE's
    assert await titles(title="zzz") == ([], 0)


async def test_a_book_made_from_an_upload_is_catalogued_for_its_owner_only(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    owner, other = await add_user(), await add_user()
    await add_books(
        uow_factory,
        book("Shared"),
        book("Own", owner_id=owner),
        book("Theirs", owner_id=other),
    )
    for viewer, titles in ((None, ["Shared"]), (owner, ["Own", "Shared"])):
        async with uow_factory() as uow:
            found = await uow.catalogue.list(CatalogueQuery(CatalogueFilter(viewer_id=viewer)))
        assert [item.book.title for item in found.items] == titles
        assert found.total == len(titles)


@pytest.mark.parametrize("sort", list(Sort))
async def test_keyset_slices_cover_every_book_once(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]], sort: Sort
) -> None:
    books = [book(f"Book {i % 4}", minutes=i % 3) for i in range(11)]  # ties on every key
    await add_books(uow_factory, *books)
    user = await add_user()
    for b, rating in zip(books[:6], [5, 4, 4, 3, 5, 4], strict=True):
        await review(uow_factory, user, b, rating)
    async with uow_factory() as uow:
        everything = await uow.catalogue.list(CatalogueQuery(sort=sort, limit=100))
    seen: list[UUID] = []
    after = None
    while True:
        async with uow_factory() as uow:
            query = CatalogueQuery(sort=sort, limit=3, after=after, count_total=False)
            found = await uow.catalogue.list(query)
        if not found.items:
            break
        seen += [item.book.id for item in found.items]
        after = found.items[-1].sort_key(sort)
    assert seen == [item.book.id for item in everything.items]
    assert len(seen) == 11


async def test_similarities_round_trip_and_likes(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    a, b, c = book("A"), book("B"), book("C")
    await add_books(uow_factory, a, b, c)
    user = await add_user()
    await review(uow_factory, user, a, 5)
    await review(uow_factory, user, c, 2)
    async with uow_factory() as uow:
        await uow.favorites.add(Favorite(user, b.id, T0))
        await uow.similarities.replace_all({a.id: [(b.id, 0.9), (c.id, 0.2)]})
        await uow.commit()
    async with uow_factory() as uow:
        likes, owned = await uow.similarities.user_books(user)
        assert {(like.book_id, like.weight) for like in likes} == {(a.id, 1.0), (b.id, 1.0)}
        assert owned == {a.id, b.id, c.id}
        assert await uow.similarities.neighbours([a.id, b.id]) == {a.id: [(b.id, 0.9), (c.id, 0.2)]}
        assert len(await uow.similarities.likes()) == 2


async def test_refresh_all_recomputes_every_book(
    uow_factory: Any, add_user: Callable[[], Awaitable[UUID]]
) -> None:
    a, b = book("A"), book("B")
    await add_books(uow_factory, a, b)
    user = await add_user()
    await review(uow_factory, user, a, 4)
    async with uow_factory() as uow:
        await uow.favorites.add(Favorite(user, b.id, T0))  # no refresh_rating: drift
        await uow.commit()
    async with uow_factory() as uow:
        await uow.reviews.refresh_all()
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.catalogue.list(CatalogueQuery(sort=Sort.POPULARITY))
    assert sorted((i.book.title, i.popularity, i.rating.total_reviews) for i in found.items) == [
        ("A", 1, 1),
        ("B", 1, 0),
    ]
