"""SqlAlchemyRenditionRepository: renditions (unique by book and recipe) and their audio."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository, unique_rule
from adapters.sqlalchemy.tables.books import RENDITION_INDEX, chapter_audio, renditions
from domain.errors import Conflict
from domain.recipe import Mode
from domain.rendition import ChapterAudio, Rendition
from domain.speech import SpeechOptions

if TYPE_CHECKING:
    from uuid import UUID

    from domain.recipe import Recipe

unique_rule(
    RENDITION_INDEX,
    "renditions.book_id, renditions.recipe_key",
    Conflict("the book already has a rendition in this recipe"),
)


class SqlAlchemyRenditionRepository(SqlRepository):
    """RenditionRepository over the ``renditions`` and ``chapter_audio`` tables."""

    async def get(self, rendition_id: UUID) -> Rendition | None:
        return await self._one(sa.select(renditions).where(renditions.c.id == rendition_id))

    async def find(self, book_id: UUID, recipe: Recipe) -> Rendition | None:
        query = sa.select(renditions).where(
            renditions.c.book_id == book_id, renditions.c.recipe_key == recipe.key
        )
        return await self._one(query)

    async def list_for_book(self, book_id: UUID) -> list[Rendition]:
        query = (
            sa.select(renditions)
            .where(renditions.c.book_id == book_id)
            .order_by(renditions.c.created_at.desc(), renditions.c.id.desc())
        )
        return [_rendition(row) for row in (await self._session.execute(query)).mappings()]

    async def add(self, rendition: Rendition) -> None:
        """Insert. Raises Conflict when the book already has a rendition in this recipe."""
        await self._write(sa.insert(renditions).values(_row(rendition)))

    async def save(self, rendition: Rendition) -> None:
        await self._write(self._upsert(renditions, [_row(rendition)], key=["id"]))

    async def audio(self, rendition_id: UUID) -> list[ChapterAudio]:
        query = (
            sa.select(chapter_audio)
            .where(chapter_audio.c.rendition_id == rendition_id)
            .order_by(chapter_audio.c.chapter_number)
        )
        return [
            ChapterAudio(
                rendition_id=row["rendition_id"],
                number=row["chapter_number"],
                audio_key=row["audio_key"],
                duration_s=row["duration_s"],
                created_at=row["created_at"],
            )
            for row in (await self._session.execute(query)).mappings()
        ]

    async def save_audio(self, audio: ChapterAudio) -> None:
        row = {
            "rendition_id": audio.rendition_id,
            "chapter_number": audio.number,
            "audio_key": audio.audio_key,
            "duration_s": audio.duration_s,
            "created_at": audio.created_at,
        }
        statement = self._upsert(
            chapter_audio, [row], key=["rendition_id", "chapter_number"], keep={"created_at"}
        )
        await self._write(statement)

    async def _one(self, query: sa.Select[Any]) -> Rendition | None:
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _rendition(row)


def _row(rendition: Rendition) -> dict[str, Any]:
    return {
        "id": rendition.id,
        "book_id": rendition.book_id,
        "mode": rendition.mode.value,
        "provider": rendition.speech.provider,
        "voice": rendition.speech.voice,
        "speed": rendition.speech.speed,
        "recipe_key": rendition.recipe.key,
        "created_at": rendition.created_at,
        "updated_at": rendition.updated_at,
        "completed_at": rendition.completed_at,
    }


def _rendition(row: Any) -> Rendition:
    return Rendition(
        id=row["id"],
        book_id=row["book_id"],
        mode=Mode(row["mode"]),
        speech=SpeechOptions(row["provider"], row["voice"], row["speed"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        completed_at=row["completed_at"],
    )
