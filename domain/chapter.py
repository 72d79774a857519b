"""Chapters: the unit of summary and audio."""

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
    """A chapter of a book; unique by (book_id, number)."""

    id: UUID
    book_id: UUID
    number: int
    title: str
    created_at: datetime
    updated_at: datetime
    summary: str | None = None
    word_count: int = 0
    audio_key: str | None = None
    audio_url: str | None = None
    duration_s: float | None = None

    @property
    def is_complete(self) -> bool:
        """True once the chapter has both a summary and stored audio."""
        return bool(self.summary) and self.audio_key is not None

    def with_summary(self, summary: str, now: datetime) -> Chapter:
        """This chapter with its summary text (and word count) set."""
        return replace(self, summary=summary, word_count=len(summary.split()), updated_at=now)

    def with_audio(self, key: str, duration_s: float, url: str | None, now: datetime) -> Chapter:
        """This chapter with its stored audio recorded."""
        return replace(self, audio_key=key, duration_s=duration_s, audio_url=url, updated_at=now)


def audio_key(book_id: UUID, number: int) -> str:
    """The storage key of a chapter's MP3: stable, so a retry overwrites, never duplicates."""
    return f"books/{book_id}/chapter-{number:03d}.mp3"
