"""EstimateBook: what a book by ISBN would cost to make, without making it (``dry_run``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.speech_choice import choose_speech
from domain.cost import estimate_cost, work_size
from domain.errors import ValidationFailed
from domain.isbn import Isbn
from domain.recipe import Mode

if TYPE_CHECKING:
    from application.books.ports import BooksUnitOfWorkFactory, SpeechEngines
    from domain.cost import CostEstimate

TYPICAL_CHAPTERS = 20  # assumed when the book's chapters are not known yet


@dataclass(frozen=True, slots=True)
class EstimateBookCommand:
    """The same options as a book to process."""

    isbn: str
    provider: str | None = None
    voice: str | None = None
    speed: float = 1.0
    mode: str = Mode.SUMMARY.value


@dataclass(frozen=True, slots=True)
class BookEstimate:
    """The estimate, and the chapter count it assumed (``chapters_known`` when counted)."""

    estimate: CostEstimate
    chapters: int
    chapters_known: bool


class EstimateBook:
    """Estimate characters, tokens, seconds and dollars per configured engine.

    A book already in the catalogue is counted by its chapters; an unknown one is assumed
    to have ``TYPICAL_CHAPTERS`` (at most ``max_chapters``). Nothing is looked up outside.
    """

    def __init__(
        self,
        *,
        uow_factory: BooksUnitOfWorkFactory,
        engines: SpeechEngines,
        summary_words: int,
        max_chapters: int,
        llm_model: str | None,
    ) -> None:
        self._uow = uow_factory
        self._engines = engines
        self._summary_words = summary_words
        self._max_chapters = max_chapters
        self._llm_model = llm_model

    async def __call__(self, command: EstimateBookCommand) -> BookEstimate:
        """Raises InvalidIsbn, InvalidProvider, InvalidVoice or ValidationFailed."""
        isbn = Isbn.parse(command.isbn)
        mode = Mode.parse(command.mode)
        if mode is not Mode.SUMMARY:
            raise ValidationFailed("a book found by ISBN is made in mode 'summary' only")
        speech = choose_speech(self._engines, command.provider, command.voice, command.speed)
        async with self._uow() as uow:
            book = await uow.books.find_by_isbn(isbn)
            known = await uow.chapters.list_for_book(book.id) if book is not None else []
        count = len(known) or min(TYPICAL_CHAPTERS, self._max_chapters)
        size = work_size(mode, [None] * count, self._summary_words)
        engines = [speech.provider, *(n for n in self._engines.names() if n != speech.provider)]
        estimate = estimate_cost(
            size, speed=speech.speed, engines=engines, llm_model=self._llm_model
        )
        return BookEstimate(estimate, count, bool(known))


__all__ = ["BookEstimate", "EstimateBook", "EstimateBookCommand"]
