"""Chapters: a book's parts and their text (audio is per rendition, domain.rendition)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class ChapterOutline:
    """A planned chapter: its number (from 1) and title."""

    number: int
    title: str


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of a book and its summary; unique by (book_id, number)."""

    id: UUID
    book_id: UUID
    number: int
    title: str
    created_at: datetime
    updated_at: datetime
    summary: str | None = None
    word_count: int = 0

    def with_summary(self, summary: str, now: datetime) -> Chapter:
        """This chapter with its summary text (and word count) set."""
        return replace(self, summary=summary, word_count=len(summary.split()), updated_at=now)
