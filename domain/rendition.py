"""Renditions: one book spoken one way, and the audio of each of its chapters.

A rendition is (book, mode, provider, voice, speed). Two users asking for different voices
get different renditions; the same recipe is made once and shared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.recipe import Mode, Recipe
from domain.speech import SpeechOptions


@dataclass(frozen=True, slots=True)
class Rendition:
    """A book in one recipe; ``completed_at`` is set once every chapter has audio."""

    id: UUID
    book_id: UUID
    mode: Mode
    speech: SpeechOptions
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None

    @property
    def recipe(self) -> Recipe:
        """The recipe this rendition is made with."""
        return Recipe(self.mode, self.speech)

    @property
    def is_complete(self) -> bool:
        """True once every chapter of the book has audio in this rendition."""
        return self.completed_at is not None

    def completed(self, now: datetime) -> Rendition:
        """This rendition marked complete (kept as it was if it already is)."""
        if self.completed_at is not None:
            return self
        return replace(self, completed_at=now, updated_at=now)


@dataclass(frozen=True, slots=True)
class ChapterAudio:
    """One chapter's stored MP3 in one rendition; unique by (rendition, chapter number)."""

    rendition_id: UUID
    number: int
    audio_key: str
    duration_s: float
    created_at: datetime


def chapter_audio_key(book_id: UUID, rendition_id: UUID, number: int) -> str:
    """The storage key of a chapter's MP3: stable, so a retry overwrites, never duplicates."""
    return f"books/{book_id}/renditions/{rendition_id}/chapter-{number:03d}.mp3"


__all__ = ["ChapterAudio", "Rendition", "chapter_audio_key"]
