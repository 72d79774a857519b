"""Community use cases on memory adapters: cursors, similarities, personal picks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.community.cursor import CursorCodec
from application.community.genres import TagBookGenres
from application.community.ports import Like
from application.community.recommend import RecommendPersonal
from application.community.similarities import ComputeSimilarities, item_similarities
from domain.book import Book
from domain.community import Favorite
from domain.errors import InvalidCursor

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_cursors_round_trip_and_refuse_tampering_and_other_scopes() -> None:
    codec = CursorCodec(b"k" * 32)
    cursor = codec.encode("title|en", ("Dune", "id-1"))
    assert codec.decode("title|en", cursor) == ("Dune", "id-1")
    with pytest.raises(InvalidCursor):
        codec.decode("title|fr", cursor)
    body, _, signature = cursor.partition(".")
    forged = CursorCodec(b"x" * 32).encode("title|en", ("Zzz", "id-9"))
    with pytest.raises(InvalidCursor):
        codec.decode("title|en", forged.partition(".")[0] + "." + signature)
    with pytest.raises(InvalidCursor):
        codec.decode("title|en", body)
    for junk in ("", "....", "%%%", "a.b", "\x00"):
        with pytest.raises(InvalidCursor):
            codec.decode("title|en", junk)


def test_items_liked_by_the_same_people_are_neighbours() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    users = [uuid.uuid4() for _ in range(4)]
    likes = [Like(u, a) for u in users] + [Like(u, b) for u in users[:3]] + [Like(users[3], c)]
    likes.append(Like(uuid.uuid4(), d))
    table = item_similarities(likes)
    assert [other for other, _ in table[a]] == [b, c]
    assert table[b][0][0] == a
    assert d not in table


async def test_personal_picks_use_neighbours_then_genres_then_popular() -> None:
    factory = MemoryUnitOfWorkFactory()
    books = {t: Book(uuid.uuid4(), t, "A", "en", T0, T0) for t in "ABCDEF"}
    me, fan1, fan2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with factory() as uow:
        for b in books.values():
            await uow.books.save(b)
        for user, titles in ((me, "A"), (fan1, "AB"), (fan2, "ABC")):
            for t in titles:
                await uow.favorites.add(Favorite(user, books[t].id, T0))
        await uow.commit()
    await TagBookGenres(uow_factory=factory)(books["A"].id, ["Fantasy"])
    await TagBookGenres(uow_factory=factory)(books["E"].id, ["Fantasy"])
    await ComputeSimilarities(uow_factory=factory)()

    picks = await RecommendPersonal(uow_factory=factory)(me, limit=4)
    titles = [p.book.title for p in picks]
    assert titles[:3] == ["B", "C", "E"]  # neighbours by strength, then my genre
    assert "A" not in titles and len(titles) == 4

    newcomer = await RecommendPersonal(uow_factory=factory)(uuid.uuid4(), limit=3)
    assert len(newcomer) == 3


async def test_the_embedded_refresh_loop_fills_neighbours(tmp_path: object) -> None:
    import asyncio

    from dependency_injector import providers

    from entrypoints.community_refresh import start
    from entrypoints.container import build_container
    from entrypoints.settings import Settings

    factory = MemoryUnitOfWorkFactory()
    container = build_container(Settings(jwt_secret_key="s" * 48))
    container.core.uow_factory.override(providers.Object(factory))
    a, b, fan = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with factory() as uow:
        for book_id in (a, b):
            await uow.books.save(Book(book_id, "T", "A", "en", T0, T0))
            await uow.favorites.add(Favorite(fan, book_id, T0))
        await uow.commit()
    start(container, interval_s=0.01)
    async with asyncio.timeout(5):
        while True:
            async with factory() as uow:
                if await uow.similarities.neighbours([a]):
                    break
            await asyncio.sleep(0.01)
    await container.core.closer().aclose()


def test_the_workers_run_the_community_refresh_as_a_cron() -> None:
    from entrypoints.settings import Settings
    from entrypoints.worker.settings import worker_settings
    from entrypoints.worker.tasks import refresh_community

    options = worker_settings(Settings(jwt_secret_key="s" * 48, queue_url="redis://h:1/0"))
    crons = {cron.function: cron.cron for cron in options["cron_jobs"]}
    assert crons[refresh_community] == "*/15 * * * *"
