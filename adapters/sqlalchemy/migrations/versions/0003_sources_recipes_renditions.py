"""Jobs get a source and a recipe; chapter audio moves to renditions.

- ``jobs.isbn`` and ``jobs.options`` become ``source_kind``/``source_ref`` and the recipe
  columns (mode, provider, voice, speed, recipe_key); one active job per owner, source and
  recipe. Old jobs become ISBN jobs in mode ``summary``; their engine is unknown, so their
  provider is ``legacy`` (an old job still active at upgrade fails with invalid_provider
  when it resumes: submit it again).
- ``chapters.audio_file_path``/``duration_s`` move to ``chapter_audio`` rows of one
  ``legacy`` rendition per book that had audio (complete when every chapter had audio);
  ``chapters.audio_url`` is dropped (the HTTP layer builds URLs).

Downgrade keeps ISBN jobs and the newest rendition's audio of each book; upload jobs and
other renditions cannot be represented in the old schema and are dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 00:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
ACTIVE_JOB = sa.text("status IN ('pending', 'processing')")
LEGACY = "legacy"
NEW_INDEX = "uq_jobs_active_owner_source_recipe"
OLD_INDEX = "uq_jobs_active_owner_isbn"


def _key(voice: str, speed: float) -> str:
    return f"summary|{LEGACY}|{voice}|{speed:.2f}"


def _now() -> datetime:
    return datetime.now(UTC)


def _naive_on_sqlite(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else value


# Lightweight views of the tables for moving data (types bind UUIDs/JSON per dialect).
_chapters = sa.table(
    "chapters",
    sa.column("book_id", sa.Uuid()),
    sa.column("chapter_number", sa.Integer()),
    sa.column("audio_file_path", sa.String()),
    sa.column("duration_s", sa.Float()),
)
_renditions = sa.table(
    "renditions",
    sa.column("id", sa.Uuid()),
    sa.column("book_id", sa.Uuid()),
    sa.column("mode", sa.String()),
    sa.column("provider", sa.String()),
    sa.column("voice", sa.String()),
    sa.column("speed", sa.Float()),
    sa.column("recipe_key", sa.String()),
    sa.column("created_at", TIMESTAMP),
    sa.column("updated_at", TIMESTAMP),
    sa.column("completed_at", TIMESTAMP),
)
_audio = sa.table(
    "chapter_audio",
    sa.column("rendition_id", sa.Uuid()),
    sa.column("chapter_number", sa.Integer()),
    sa.column("audio_key", sa.String()),
    sa.column("duration_s", sa.Float()),
    sa.column("created_at", TIMESTAMP),
)
_jobs_old = sa.table(
    "jobs",
    sa.column("id", sa.Uuid()),
    sa.column("isbn", sa.String()),
    sa.column("options", JSON),
)
_jobs_new = sa.table(
    "jobs",
    sa.column("id", sa.Uuid()),
    sa.column("source_kind", sa.String()),
    sa.column("source_ref", sa.String()),
    sa.column("mode", sa.String()),
    sa.column("provider", sa.String()),
    sa.column("voice", sa.String()),
    sa.column("speed", sa.Float()),
    sa.column("recipe_key", sa.String()),
)


def upgrade() -> None:
    op.create_table(
        "renditions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("book_id", sa.Uuid(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("voice", sa.String(length=64), nullable=False),
        sa.Column("speed", sa.Float(), nullable=False),
        sa.Column("recipe_key", sa.String(length=160), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("completed_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["book_id"], ["books.id"], name=op.f("fk_renditions_book_id_books"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renditions")),
    )
    op.create_index(
        "uq_renditions_book_id_recipe_key", "renditions", ["book_id", "recipe_key"], unique=True
    )
    op.create_table(
        "chapter_audio",
        sa.Column("rendition_id", sa.Uuid(), nullable=False),
        sa.Column("chapter_number", sa.Integer(), nullable=False),
        sa.Column("audio_key", sa.String(length=1024), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["rendition_id"],
            ["renditions.id"],
            name=op.f("fk_chapter_audio_rendition_id_renditions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rendition_id", "chapter_number", name=op.f("pk_chapter_audio")),
    )
    _move_audio_to_renditions()
    with op.batch_alter_table("chapters") as batch:
        batch.drop_column("audio_file_path")
        batch.drop_column("audio_url")
        batch.drop_column("duration_s")

    op.drop_index(OLD_INDEX, table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("source_kind", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("source_ref", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("mode", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("provider", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("voice", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("speed", sa.Float(), nullable=True))
        batch.add_column(sa.Column("recipe_key", sa.String(length=160), nullable=True))
    _fill_job_recipes()
    with op.batch_alter_table("jobs") as batch:
        batch.alter_column(
            "source_kind",
            existing_type=sa.String(length=16),
            type_=sa.Enum(
                "isbn",
                "upload",
                name="source_kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        )
        for name, type_ in (
            ("source_ref", sa.String(length=64)),
            ("mode", sa.String(length=32)),
            ("provider", sa.String(length=32)),
            ("voice", sa.String(length=64)),
            ("speed", sa.Float()),
            ("recipe_key", sa.String(length=160)),
        ):
            batch.alter_column(name, existing_type=type_, nullable=False)
        batch.drop_column("isbn")
        batch.drop_column("options")
    op.create_index(
        NEW_INDEX,
        "jobs",
        ["owner_id", "source_kind", "source_ref", "recipe_key"],
        unique=True,
        postgresql_where=ACTIVE_JOB,
        sqlite_where=ACTIVE_JOB,
    )


def _move_audio_to_renditions() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _chapters.c.book_id,
            _chapters.c.chapter_number,
            _chapters.c.audio_file_path,
            _chapters.c.duration_s,
        ).order_by(_chapters.c.book_id, _chapters.c.chapter_number)
    ).all()
    by_book: dict[uuid.UUID, list[sa.Row[tuple[uuid.UUID, int, str | None, float | None]]]] = {}
    for row in rows:
        by_book.setdefault(row.book_id, []).append(row)
    now = _naive_on_sqlite(_now())
    for book_id, chapters in by_book.items():
        spoken = [c for c in chapters if c.audio_file_path is not None]
        if not spoken:
            continue
        rendition_id = uuid.uuid4()
        bind.execute(
            _renditions.insert().values(
                id=rendition_id,
                book_id=book_id,
                mode="summary",
                provider=LEGACY,
                voice="default",
                speed=1.0,
                recipe_key=_key("default", 1.0),
                created_at=now,
                updated_at=now,
                completed_at=now if len(spoken) == len(chapters) else None,
            )
        )
        bind.execute(
            _audio.insert(),
            [
                {
                    "rendition_id": rendition_id,
                    "chapter_number": c.chapter_number,
                    "audio_key": c.audio_file_path,
                    "duration_s": c.duration_s or 0.0,
                    "created_at": now,
                }
                for c in spoken
            ],
        )


def _fill_job_recipes() -> None:
    bind = op.get_bind()
    for job_id, isbn, options in bind.execute(
        sa.select(_jobs_old.c.id, _jobs_old.c.isbn, _jobs_old.c.options)
    ).all():
        options = options or {}
        voice = str(options.get("voice") or "default")[:64]
        speed = float(options.get("speed") or 1.0)
        bind.execute(
            _jobs_new.update()
            .where(_jobs_new.c.id == job_id)
            .values(
                source_kind="isbn",
                source_ref=isbn,
                mode="summary",
                provider=LEGACY,
                voice=voice,
                speed=speed,
                recipe_key=_key(voice, speed),
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index(NEW_INDEX, table_name="jobs")
    bind.execute(_jobs_new.delete().where(_jobs_new.c.source_kind != "isbn"))
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("isbn", sa.String(length=13), nullable=True))
        batch.add_column(sa.Column("options", JSON, nullable=True))
    for job_id, ref, voice, speed in bind.execute(
        sa.select(_jobs_new.c.id, _jobs_new.c.source_ref, _jobs_new.c.voice, _jobs_new.c.speed)
    ).all():
        options = {"speed": speed} if voice == "default" else {"speed": speed, "voice": voice}
        bind.execute(
            _jobs_old.update()
            .where(_jobs_old.c.id == job_id)
            .values(isbn=ref[:13], options=options)
        )
    with op.batch_alter_table("jobs") as batch:
        batch.alter_column("isbn", existing_type=sa.String(length=13), nullable=False)
        batch.alter_column("options", existing_type=JSON, nullable=False)
        for name in ("recipe_key", "speed", "voice", "provider", "mode", "source_ref"):
            batch.drop_column(name)
        batch.drop_constraint(op.f("ck_jobs_source_kind"), type_="check")
        batch.drop_column("source_kind")
    op.create_index(
        OLD_INDEX,
        "jobs",
        ["owner_id", "isbn"],
        unique=True,
        postgresql_where=ACTIVE_JOB,
        sqlite_where=ACTIVE_JOB,
    )

    with op.batch_alter_table("chapters") as batch:
        batch.add_column(sa.Column("audio_file_path", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("audio_url", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("duration_s", sa.Float(), nullable=True))
    newest: dict[uuid.UUID, uuid.UUID] = {}
    for rendition_id, book_id in bind.execute(
        sa.select(_renditions.c.id, _renditions.c.book_id).order_by(_renditions.c.created_at)
    ).all():
        newest[book_id] = rendition_id
    chapters = sa.table(
        "chapters",
        sa.column("book_id", sa.Uuid()),
        sa.column("chapter_number", sa.Integer()),
        sa.column("audio_file_path", sa.String()),
        sa.column("audio_url", sa.String()),
        sa.column("duration_s", sa.Float()),
    )
    for book_id, rendition_id in newest.items():
        for number, key, duration in bind.execute(
            sa.select(_audio.c.chapter_number, _audio.c.audio_key, _audio.c.duration_s).where(
                _audio.c.rendition_id == rendition_id
            )
        ).all():
            bind.execute(
                chapters.update()
                .where(chapters.c.book_id == book_id, chapters.c.chapter_number == number)
                .values(
                    audio_file_path=key,
                    audio_url=f"/api/v1/books/{book_id}/chapters/{number}/audio",
                    duration_s=duration,
                )
            )
    op.drop_table("chapter_audio")
    op.drop_table("renditions")
