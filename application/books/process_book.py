"""ProcessBook: accept an ISBN and a recipe, and queue the work (or return the job doing it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.speech_choice import choose_speech
from domain.errors import ValidationFailed
from domain.isbn import Isbn
from domain.job import Job, JobKind, JobSource
from domain.recipe import Mode, Recipe

if TYPE_CHECKING:
    from uuid import UUID

    from application.books.ports import SpeechEngines
    from application.jobs.submit import SubmitJob, Submitted
    from application.shared.ports import Clock, IdGenerator


@dataclass(frozen=True, slots=True)
class ProcessBookCommand:
    """Who asks for which ISBN, made how."""

    owner_id: UUID
    isbn: str
    provider: str | None = None
    voice: str | None = None
    speed: float = 1.0
    mode: str = Mode.SUMMARY.value
    request_id: str | None = None


class ProcessBook:
    """Validate the ISBN and the recipe, then submit the job (reusing one in flight)."""

    def __init__(
        self, *, submit: SubmitJob, engines: SpeechEngines, clock: Clock, ids: IdGenerator
    ) -> None:
        self._submit = submit
        self._engines = engines
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: ProcessBookCommand) -> Submitted:
        """Raises InvalidIsbn, InvalidVoice, InvalidProvider or ValidationFailed for bad
        input; TransientUpstreamError when the queue is down."""
        isbn = Isbn.parse(command.isbn)
        mode = Mode.parse(command.mode)
        if mode is not Mode.SUMMARY:
            raise ValidationFailed(
                f"a book found by ISBN is made in mode 'summary' only, not {mode.value!r} "
                "(the other modes need the book's text: upload the file)"
            )
        speech = choose_speech(self._engines, command.provider, command.voice, command.speed)
        now = self._clock.now()
        job = Job(
            id=self._ids.new_id(),
            owner_id=command.owner_id,
            kind=JobKind.PROCESS_BOOK,
            source=JobSource.isbn(isbn.value),
            recipe=Recipe(mode, speech),
            created_at=now,
            updated_at=now,
            request_id=command.request_id,
        )
        return await self._submit(job)


__all__ = ["ProcessBook", "ProcessBookCommand"]
