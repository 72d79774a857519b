"""ProcessUpload: accept an upload, a mode and speech options, and queue the work (or
return the caller's job already doing the same)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from application.books.speech_choice import choose_speech
from application.uploads.get_upload import load_upload
from domain.errors import ValidationFailed
from domain.job import Job, JobKind, JobSource
from domain.recipe import Mode, Recipe
from domain.upload import UploadSelection

if TYPE_CHECKING:
    from uuid import UUID

    from application.books.ports import SpeechEngines
    from application.jobs.submit import SubmitJob, Submitted
    from application.shared.ports import Clock, IdGenerator
    from application.uploads.ports import UploadsUnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ProcessUploadCommand:
    """Who asks for which upload, made how, and which chapters (None: all)."""

    owner_id: UUID
    upload_id: UUID
    mode: str = Mode.FULL.value
    provider: str | None = None
    voice: str | None = None
    speed: float = 1.0
    chapters: tuple[int, ...] | None = None
    request_id: str | None = None


class ProcessUpload:
    """Validate the upload, recipe and chapters, then submit a ``process_upload`` job."""

    def __init__(
        self,
        *,
        uow_factory: UploadsUnitOfWorkFactory,
        submit: SubmitJob,
        engines: SpeechEngines,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._uow = uow_factory
        self._submit = submit
        self._engines = engines
        self._clock = clock
        self._ids = ids

    async def __call__(self, command: ProcessUploadCommand) -> Submitted:
        """Raises UploadNotFound, ValidationFailed (mode, chapters), InvalidVoice,
        InvalidProvider; TransientUpstreamError when the queue is down."""
        async with self._uow() as uow:
            upload = await load_upload(uow, command.upload_id, command.owner_id)
        mode = Mode.parse(command.mode)
        speech = choose_speech(self._engines, command.provider, command.voice, command.speed)
        detected = {c.number for c in upload.chapters}
        chapters = None
        if command.chapters is not None:
            picked = set(command.chapters)
            if not picked:
                raise ValidationFailed("pick at least one chapter, or leave chapters out")
            missing = sorted(picked - detected)
            if missing:
                raise ValidationFailed(
                    f"the upload has no chapter {missing[0]} (it has 1-{max(detected)})"
                )
            chapters = None if picked == detected else tuple(sorted(picked))
        now = self._clock.now()
        job = Job(
            id=self._ids.new_id(),
            owner_id=command.owner_id,
            kind=JobKind.PROCESS_UPLOAD,
            source=JobSource.upload(UploadSelection(upload.id, chapters).ref),
            recipe=Recipe(mode, speech),
            created_at=now,
            updated_at=now,
            request_id=command.request_id,
        )
        return await self._submit(job)


__all__ = ["ProcessUpload", "ProcessUploadCommand"]
