"""Alembic migrations: upgrade, downgrade and re-upgrade on SQLite and PostgreSQL, no drift.

PostgreSQL runs in a throw-away database created for this module and dropped after it.
"""

from __future__ import annotations

import asyncio
import uuid
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sqlalchemy import metadata, migrate
from adapters.sqlalchemy.tables.community import include_name
from tests.support.databases import fresh_database

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "books",
    "book_isbns",
    "chapters",
    "jobs",
    "users",
    "refresh_tokens",
    "renditions",
    "chapter_audio",
    "profiles",
    "genres",
    "book_genres",
    "reviews",
    "review_flags",
    "favorites",
    "book_stats",
    "book_similarities",
    "uploads",
    "upload_chapters",
}
COMMUNITY = {
    "profiles", "genres", "book_genres", "reviews", "review_flags", "favorites", "book_stats",
    "book_similarities",
}  # fmt: skip
UPLOADS = {"uploads", "upload_chapters"}


def _inspect(url: str) -> tuple[set[str], list[Any]]:
    """The tables in the database and what autogenerate would change to match the models."""

    def run(connection: Connection) -> tuple[set[str], list[Any]]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        names = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        tables = {name for name in names if include_name(name, "table", {})}
        return tables, compare_metadata(context, metadata)

    async def main() -> tuple[set[str], list[Any]]:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(run)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _round_trip(url: str) -> None:
    migrate.upgrade(url)
    tables, diff = _inspect(url)
    assert tables == TABLES
    assert diff == []
    migrate.downgrade(url, "base")
    assert _inspect(url)[0] == set()
    migrate.upgrade(url, "head")
    migrate.downgrade(url)  # one step down from 0006 changes only a check constraint
    assert _inspect(url)[0] == TABLES
    migrate.downgrade(url)  # one step down from 0005 drops only the community's tables
    assert _inspect(url)[0] == TABLES - COMMUNITY
    migrate.downgrade(url)  # one step down from 0004 drops only the uploads
    assert _inspect(url)[0] == TABLES - COMMUNITY - UPLOADS
    migrate.downgrade(url)  # one step down from 0003 drops only the renditions
    assert _inspect(url)[0] == TABLES - COMMUNITY - UPLOADS - {"renditions", "chapter_audio"}
    migrate.downgrade(url)  # one step down from 0002 drops only the refresh tokens
    assert _inspect(url)[0] == TABLES - COMMUNITY - UPLOADS - {
        "renditions",
        "chapter_audio",
        "refresh_tokens",
    }
    migrate.downgrade(url)
    assert _inspect(url)[0] == set()
    migrate.upgrade(url)
    tables, diff = _inspect(url)
    assert (tables, diff) == (TABLES, [])


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """URL of a fresh empty PostgreSQL database, dropped afterwards."""
    with fresh_database(postgres_url, "migrations") as url:
        yield url


def test_sqlite_upgrade_downgrade_upgrade_without_drift(tmp_path: Path) -> None:
    _round_trip(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'bookbytes.db'}")


def test_postgres_upgrade_downgrade_upgrade_without_drift(postgres_database: str) -> None:
    _round_trip(postgres_database)


def _sql(url: str, *statements: str) -> list[list[Any]]:
    """Run SQL statements; the rows of each."""

    async def main() -> list[list[Any]]:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        try:
            results: list[list[Any]] = []
            async with engine.begin() as connection:
                for statement in statements:
                    result = await connection.execute(sa.text(statement))
                    results.append([tuple(r) for r in result.all()] if result.returns_rows else [])
            return results
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _legacy_data_survives_0003(url: str, uuid_text: Any) -> None:
    """Chapter audio becomes a legacy rendition, job options a recipe, and back again."""
    book, user, job = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = "'2026-01-01 00:00:00+00'"
    migrate.upgrade(url, "0002")
    _sql(
        url,
        f"INSERT INTO books (id, title, author, language, created_at, updated_at) "
        f"VALUES ({uuid_text(book)}, 'T', 'A', 'en', {now}, {now})",
        f"INSERT INTO chapters (id, book_id, chapter_number, title, word_count, audio_file_path, "
        f"audio_url, duration_s, created_at, updated_at) VALUES ({uuid_text(uuid.uuid4())}, "
        f"{uuid_text(book)}, 1, 'One', 3, 'books/x/chapter-001.mp3', '/u', 2.5, {now}, {now})",
        f"INSERT INTO users (id, email, password_hash, is_active, scopes, created_at) VALUES "
        f"({uuid_text(user)}, 'a@example.com', 'h', true, '[]', {now})",
        f"INSERT INTO jobs (id, owner_id, kind, status, isbn, progress, current_step, attempts, "
        f"options, created_at, updated_at) VALUES ({uuid_text(job)}, {uuid_text(user)}, "
        f"'process_book', 'completed', '9780306406157', 100, 'done', 1, "
        f'\'{{"voice": "female", "speed": 1.5}}\', {now}, {now})',
    )
    migrate.upgrade(url, "head")
    audio, recipe = _sql(
        url,
        "SELECT r.provider, r.completed_at IS NOT NULL, a.chapter_number, a.audio_key, "
        "a.duration_s FROM renditions r JOIN chapter_audio a ON a.rendition_id = r.id",
        "SELECT source_kind, source_ref, mode, voice, speed, recipe_key FROM jobs",
    )
    assert audio == [("legacy", True, 1, "books/x/chapter-001.mp3", 2.5)]
    assert recipe == [
        ("isbn", "9780306406157", "summary", "female", 1.5, "summary|legacy|female|1.50")
    ]
    migrate.downgrade(url, "0002")
    chapters, jobs = _sql(
        url,
        "SELECT audio_file_path, duration_s FROM chapters",
        "SELECT isbn FROM jobs",
    )
    assert chapters == [("books/x/chapter-001.mp3", 2.5)]
    assert jobs == [("9780306406157",)]


def test_sqlite_0003_moves_legacy_audio_and_options(tmp_path: Path) -> None:
    _legacy_data_survives_0003(
        f"sqlite+aiosqlite:///{tmp_path / 'legacy.db'}", lambda u: f"'{u.hex}'"
    )


def test_postgres_0003_moves_legacy_audio_and_options(postgres_database: str) -> None:
    _legacy_data_survives_0003(postgres_database, lambda u: f"'{u}'")


def test_alembic_ini_at_the_repo_root_takes_the_url_from_x(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    config = Config(str(REPO_ROOT / "alembic.ini"), cmd_opts=Namespace(x=[f"url={url}"]))
    command.upgrade(config, "head")
    assert _inspect(url) == (TABLES, [])


async def test_migrate_refuses_to_run_inside_an_event_loop(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="outside"):
        migrate.upgrade(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")


def _books_before_0005_are_searchable(url: str, uuid_text: Any) -> None:
    """Books already there when 0005 runs are indexed for search, typos included."""
    from adapters.sqlalchemy import create_engine
    from adapters.sqlalchemy.search import make_book_search

    book = uuid.uuid4()
    now = "'2026-01-01 00:00:00+00'"
    migrate.upgrade(url, "0003")
    _sql(
        url,
        f"INSERT INTO books (id, title, author, language, created_at, updated_at) "
        f"VALUES ({uuid_text(book)}, 'Les Misérables', 'Victor Hugo', 'fr', {now}, {now})",
    )
    migrate.upgrade(url, "head")

    async def search(text: str) -> list[uuid.UUID]:
        engine = create_engine(url, pool_min=1, pool_max=1)
        try:
            return [hit.book_id for hit in await make_book_search(engine).search(text)]
        finally:
            await engine.dispose()

    for text in ("les miserables", "hug", "misreables"):
        assert asyncio.run(search(text)) == [book], text


def test_sqlite_0005_indexes_the_books_already_there(tmp_path: Path) -> None:
    _books_before_0005_are_searchable(
        f"sqlite+aiosqlite:///{tmp_path / 'before.db'}", lambda u: f"'{u.hex}'"
    )


def test_postgres_0005_indexes_the_books_already_there(postgres_database: str) -> None:
    _books_before_0005_are_searchable(postgres_database, lambda u: f"'{u}'")


def _every_job_kind_is_accepted(url: str) -> None:
    """The migrated schema takes a job of every JobKind (CHECK constraints are not part of
    the drift check)."""
    from datetime import UTC, datetime

    from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
    from domain.job import JobKind, JobSource, SourceKind
    from domain.user import User
    from tests.support.jobs import make_job

    migrate.upgrade(url)

    async def main() -> None:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        try:
            uow_factory = SqlAlchemyUnitOfWorkFactory(engine)
            owner = uuid.uuid4()
            async with uow_factory() as uow:
                await uow.users.add(User(owner, "k@example.com", "hash", datetime.now(UTC)))
                for kind in JobKind:
                    source = JobSource(SourceKind.UPLOAD, f"{uuid.uuid4()}:{kind.value}")
                    await uow.jobs.add(make_job(owner, kind=kind, source=source))
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(main())


def test_sqlite_accepts_every_job_kind(tmp_path: Path) -> None:
    _every_job_kind_is_accepted(f"sqlite+aiosqlite:///{tmp_path / 'kinds.db'}")


def test_postgres_accepts_every_job_kind(postgres_database: str) -> None:
    _every_job_kind_is_accepted(postgres_database)


def _every_book_format_is_accepted_and_downgrade_drops_the_new_ones(
    url: str, uuid_text: Any
) -> None:
    """The migrated schema takes an upload of every BookFormat; one step down from 0006
    deletes the uploads (and their text) in formats the old schema cannot hold."""
    from datetime import UTC, datetime

    from adapters.sqlalchemy import SqlAlchemyUnitOfWorkFactory
    from application.uploads.ports import ExtractedChapter
    from domain.upload import BookFormat, Upload, UploadChapter
    from domain.user import User

    migrate.upgrade(url)
    text = (ExtractedChapter(1, "One", "Some words."),)

    async def main() -> None:
        engine = create_async_engine(url, poolclass=sa.NullPool)
        try:
            uow_factory = SqlAlchemyUnitOfWorkFactory(engine)
            owner = uuid.uuid4()
            now = datetime.now(UTC)
            async with uow_factory() as uow:
                await uow.users.add(User(owner, "f@example.com", "hash", now))
                for fmt in BookFormat:
                    upload_id = uuid.uuid4()
                    upload = Upload(
                        upload_id, owner, fmt, f"book.{fmt.value}", 10, f"uploads/{upload_id}",
                        "T", "A", "en", (UploadChapter(1, "One", 2),), 11, now,
                    )  # fmt: skip
                    await uow.uploads.add(upload, text)
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(main())
    stored = _sql(url, "SELECT format FROM uploads", "SELECT count(*) FROM upload_chapters")
    assert sorted(f for (f,) in stored[0]) == sorted(f.value for f in BookFormat)
    migrate.downgrade(url, "0005")
    formats, texts = _sql(url, "SELECT format FROM uploads", "SELECT count(*) FROM upload_chapters")
    assert sorted(f for (f,) in formats) == ["epub", "pdf", "txt"]
    assert texts == [(3,)]

    def insert(fmt: str) -> None:
        _sql(
            url,
            "INSERT INTO uploads (id, owner_id, format, filename, size_bytes, file_key, title, "
            "author, language, chapters, characters, created_at) SELECT "
            f"{uuid_text(uuid.uuid4())}, owner_id, '{fmt}', 'b', 1, 'k', 'T', 'A', 'en', "
            "chapters, 1, created_at FROM uploads LIMIT 1",
        )

    insert("epub")
    with pytest.raises(sa.exc.IntegrityError):
        insert("mobi")  # the old check constraint is back
    migrate.upgrade(url)
    insert("mobi")
    assert _inspect(url) == (TABLES, [])


def test_sqlite_accepts_every_book_format(tmp_path: Path) -> None:
    _every_book_format_is_accepted_and_downgrade_drops_the_new_ones(
        f"sqlite+aiosqlite:///{tmp_path / 'formats.db'}", lambda u: f"'{u.hex}'"
    )


def test_postgres_accepts_every_book_format(postgres_database: str) -> None:
    _every_book_format_is_accepted_and_downgrade_drops_the_new_ones(
        postgres_database, lambda u: f"'{u}'"
    )
