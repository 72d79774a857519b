"""Deterministic chapter planner and summarizer."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from domain.chapter import ChapterOutline
from domain.errors import BookUnknown

if TYPE_CHECKING:
    from domain.book import Book


class FakeChapterPlanner:
    """Plans ``chapters`` chapters named "Chapter N"; books titled in ``unknown`` are unknown."""

    def __init__(self, chapters: int = 3, unknown: frozenset[str] = frozenset()) -> None:
        self.chapters = chapters
        self.unknown = unknown

    async def plan(self, book: Book) -> list[ChapterOutline]:
        if book.title in self.unknown:
            raise BookUnknown(f"the model does not know {book.title!r}")
        return [ChapterOutline(n, f"Chapter {n}") for n in range(1, self.chapters + 1)]


class FakeSummarizer:
    """Writes a short, deterministic summary naming the book and chapter, after waiting
    ``latency_ms`` (0 by default; set to slow a pipeline down in tests)."""

    def __init__(self, latency_ms: int = 0) -> None:
        self.calls: list[tuple[str, int]] = []
        self.text_calls: list[tuple[str, int, str]] = []
        self.latency_ms = latency_ms

    async def summarize(self, book: Book, chapter: ChapterOutline) -> str:
        self.calls.append((book.title, chapter.number))
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        return (
            f"{chapter.title} of {book.title} by {book.author}. "
            "It sets out the chapter's main ideas in plain words."
        )

    async def summarize_text(self, book: Book, title: str, text: str, mode: str) -> str:
        """A deterministic "summary": the mode, the title, and the text's first words."""
        self.text_calls.append((title, len(text), mode))
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        opening = " ".join(text.split()[:12])
        kind = {"explanation": "An explanation", "summary_explanation": "A summary and "
                "explanation"}.get(mode, "A summary")  # fmt: skip
        return f"{kind} of {title}, from {book.title}. It begins: {opening}."
