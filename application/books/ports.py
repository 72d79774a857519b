"""Ports of the books feature: the catalogue, chapters, renditions, and the outside world
that makes them (metadata sources, the language model, speech engines, audio storage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from application.shared.ports import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence
    from pathlib import Path
    from uuid import UUID

    from domain.book import Book, BookIsbn, Edition
    from domain.chapter import Chapter, ChapterOutline
    from domain.isbn import Isbn
    from domain.recipe import Recipe
    from domain.rendition import ChapterAudio, Rendition
    from domain.speech import Voice


# --- persistence -----------------------------------------------------------------------


class BookRepository(Protocol):
    """Books and the ISBNs that point at them."""

    async def get(self, book_id: UUID) -> Book | None: ...
    async def find_by_isbn(self, isbn: Isbn) -> Book | None:
        """The book any of whose known ISBNs (10 or 13 form) equals ``isbn``."""
        ...

    async def find_by_work(self, work_key: str, language: str) -> Book | None:
        """The book for a work in a language (edition grouping)."""
        ...

    async def save(self, book: Book) -> None:
        """Insert or update the book (by id)."""
        ...

    async def add_isbns(self, isbns: Sequence[BookIsbn]) -> None:
        """Point these ISBNs at their books; an ISBN already known is re-pointed."""
        ...


class ChapterRepository(Protocol):
    """Chapters of books and their text."""

    async def list_for_book(self, book_id: UUID) -> list[Chapter]:
        """A book's chapters ordered by number."""
        ...

    async def get(self, book_id: UUID, number: int) -> Chapter | None: ...
    async def save(self, chapter: Chapter) -> None:
        """Insert or update by (book_id, number): saving twice leaves one row."""
        ...


class RenditionRepository(Protocol):
    """Renditions of books (one per book and recipe) and their chapters' audio."""

    async def get(self, rendition_id: UUID) -> Rendition | None: ...
    async def find(self, book_id: UUID, recipe: Recipe) -> Rendition | None:
        """The book's rendition in this recipe, if one was started."""
        ...

    async def list_for_book(self, book_id: UUID) -> list[Rendition]:
        """The book's renditions, newest first."""
        ...

    async def add(self, rendition: Rendition) -> None:
        """Insert a rendition. Raises Conflict when the book already has this recipe."""
        ...

    async def save(self, rendition: Rendition) -> None:
        """Update a rendition (by id)."""
        ...

    async def audio(self, rendition_id: UUID) -> list[ChapterAudio]:
        """The rendition's chapter audio, ordered by chapter number."""
        ...

    async def save_audio(self, audio: ChapterAudio) -> None:
        """Insert or update by (rendition, number): saving twice leaves one row."""
        ...


class BooksUnitOfWork(UnitOfWork, Protocol):
    """A transaction over books, chapters and renditions."""

    @property
    def books(self) -> BookRepository: ...
    @property
    def chapters(self) -> ChapterRepository: ...
    @property
    def renditions(self) -> RenditionRepository: ...


BooksUnitOfWorkFactory = UnitOfWorkFactory[BooksUnitOfWork]


# --- the outside world ------------------------------------------------------------------


class BookMetadataSource(Protocol):
    """Looks books up by ISBN."""

    async def lookup(self, isbn: Isbn) -> Edition:
        """The edition with this ISBN. Raises BookNotFound, or UpstreamError subclasses."""
        ...

    async def other_editions(self, edition: Edition) -> list[Edition]:
        """Other known editions of the same work (any language); may be empty."""
        ...


class GenreTagger(Protocol):
    """Files a book under the genres its metadata subjects name (the community feature)."""

    async def __call__(self, book_id: UUID, subjects: Sequence[str]) -> object: ...


class ChapterPlanner(Protocol):
    """Works out a book's chapters when no table of contents is known."""

    async def plan(self, book: Book) -> list[ChapterOutline]:
        """Ordered chapters. Raises BookUnknown when the book cannot be outlined."""
        ...


class Summarizer(Protocol):
    """Writes a chapter summary."""

    async def summarize(self, book: Book, chapter: ChapterOutline) -> str: ...
    async def summarize_text(self, book: Book, title: str, text: str, mode: str) -> str:
        """A summary (``mode`` "summary"), an explanation ("explanation") or both
        ("summary_explanation") of a chapter from its real ``text``, in the book's
        language. The text fits the model's context (callers cut long chapters)."""
        ...


class SpeechSynthesizer(Protocol):
    """One speech engine: speaks text to MP3."""

    def voices(self) -> Sequence[Voice]:
        """The engine's own voices (each names the voice types it stands for)."""
        ...

    async def synthesize(
        self, text: str, *, language: str, voice: str = "default", speed: float = 1.0
    ) -> bytes:
        """MP3 bytes for ``text``. ``voice`` is a VoiceType value or a voice id of
        ``voices()``. Raises ValidationFailed for empty text, InvalidVoice for a voice
        the engine does not have, UpstreamError subclasses when the engine fails."""
        ...


class SpeechEngines(Protocol):
    """The speech engines this server has configured, by provider name."""

    @property
    def default_provider(self) -> str:
        """The engine used when a request names none (TTS_PROVIDER)."""
        ...

    def names(self) -> Sequence[str]:
        """Every configured provider name, the default first."""
        ...

    def engine(self, provider: str) -> SpeechSynthesizer:
        """The engine called ``provider``. Raises InvalidProvider when not configured."""
        ...


class LoudnessNormalizer(Protocol):
    """Brings chapter audio to one loudness, so a book sounds equally loud throughout."""

    async def normalize(self, audio: bytes) -> bytes:
        """The MP3 at the house loudness; the audio as given when it cannot be measured
        (never fails the chapter)."""
        ...


class AudioStorage(Protocol):
    """Stores audio by key."""

    async def put(self, key: str, data: bytes, content_type: str = "audio/mpeg") -> None: ...
    async def put_file(self, key: str, path: Path, content_type: str = "audio/mpeg") -> None:
        """Store the file at ``path`` under ``key``, streamed (a whole audiobook is
        never held in memory)."""
        ...

    async def size(self, key: str) -> int:
        """Size in bytes. Raises AudioNotFound."""
        ...

    def open(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes ``start``..``end`` (inclusive; None = to the end) in chunks."""
        ...

    async def url(self, key: str) -> str | None:
        """A URL a client can fetch the audio from directly, or None to stream it."""
        ...

    async def delete(self, key: str) -> None: ...
    async def exists(self, key: str) -> bool: ...


__all__ = [
    "AudioStorage",
    "BookMetadataSource",
    "BookRepository",
    "BooksUnitOfWork",
    "BooksUnitOfWorkFactory",
    "ChapterPlanner",
    "ChapterRepository",
    "GenreTagger",
    "LoudnessNormalizer",
    "RenditionRepository",
    "SpeechEngines",
    "SpeechSynthesizer",
    "Summarizer",
]
