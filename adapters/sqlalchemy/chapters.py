"""SqlAlchemyChapterRepository: chapters, upserted by (book_id, chapter_number)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from adapters.sqlalchemy._base import SqlRepository
from adapters.sqlalchemy.tables.books import chapters
from domain.chapter import Chapter

if TYPE_CHECKING:
    from uuid import UUID


class SqlAlchemyChapterRepository(SqlRepository):
    """ChapterRepository over the ``chapters`` table."""

    async def list_for_book(self, book_id: UUID) -> list[Chapter]:
        query = (
            sa.select(chapters)
            .where(chapters.c.book_id == book_id)
            .order_by(chapters.c.chapter_number)
        )
        return [_chapter(row) for row in (await self._session.execute(query)).mappings()]

    async def get(self, book_id: UUID, number: int) -> Chapter | None:
        query = sa.select(chapters).where(
            chapters.c.book_id == book_id, chapters.c.chapter_number == number
        )
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _chapter(row)

    async def save(self, chapter: Chapter) -> None:
        """Insert, or update the row with the same (book_id, number), keeping its id."""
        row = {
            "id": chapter.id,
            "book_id": chapter.book_id,
            "chapter_number": chapter.number,
            "title": chapter.title,
            "summary": chapter.summary,
            "word_count": chapter.word_count,
            "created_at": chapter.created_at,
            "updated_at": chapter.updated_at,
        }
        statement = self._upsert(
            chapters, [row], key=["book_id", "chapter_number"], keep={"id", "created_at"}
        )
        await self._write(statement)


def _chapter(row: Any) -> Chapter:
    return Chapter(
        id=row["id"],
        book_id=row["book_id"],
        number=row["chapter_number"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        summary=row["summary"],
        word_count=row["word_count"],
    )
