"""Bodies of /api/v1/jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from domain.job import Job
from entrypoints.http.schemas import JobId, Moment, Schema, Status, ex


class JobErrorRead(Schema):
    """Why a job failed."""

    code: Annotated[str, ex("book_not_found")]
    message: Annotated[str, ex("no book with ISBN 9780306406157")]


class SourceRead(Schema):
    """Where the job's book comes from."""

    kind: Annotated[str, ex("isbn")]
    ref: Annotated[str, ex("9780306406157")]


class RecipeRead(Schema):
    """What the job makes: the mode and the speech options."""

    mode: Annotated[str, ex("summary")]
    provider: Annotated[str, ex("espeak")]
    voice: Annotated[str, ex("female")]
    speed: Annotated[float, ex(1.0)]


class JobRead(Schema):
    """A job as its owner sees it."""

    id: JobId
    kind: Annotated[str, ex("process_book")]
    status: Status
    progress: Annotated[int, ex(45)]
    current_step: Annotated[str, ex("chapters: 2/5 done")]
    source: SourceRead
    recipe: RecipeRead
    isbn: Annotated[str | None, ex("9780306406157")]
    book_id: Annotated[UUID | None, ex("2f22def2-457b-49c1-8263-4267c86fc62f")]
    result: Annotated[
        dict[str, Any] | None,
        ex(
            {
                "book_id": "2f22def2-457b-49c1-8263-4267c86fc62f",
                "rendition_id": "5b0c6f0e-3f7e-4c43-9b55-2f4f1d7e8a10",
                "chapters": 5,
            }
        ),
    ]
    error: JobErrorRead | None
    attempts: Annotated[int, ex(1)]
    created_at: Moment
    updated_at: Moment
    started_at: Annotated[datetime | None, ex("2026-11-23T00:42:48.075137Z")]
    finished_at: Annotated[datetime | None, ex(None)]

    @classmethod
    def of(cls, job: Job) -> JobRead:
        return cls(
            id=job.id,
            kind=str(job.kind),
            status=str(job.status),
            progress=job.progress,
            current_step=job.current_step,
            source=SourceRead(kind=job.source.kind.value, ref=job.source.ref),
            recipe=RecipeRead(
                mode=job.recipe.mode.value,
                provider=job.recipe.speech.provider,
                voice=job.recipe.speech.voice,
                speed=job.recipe.speech.speed,
            ),
            isbn=job.isbn,
            book_id=job.book_id,
            result=_with_audiobook_urls(job.result),
            error=JobErrorRead(code=job.error.code, message=job.error.message)
            if job.error
            else None,
            attempts=job.attempts,
            created_at=job.created_at,
            updated_at=job.updated_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


def _with_audiobook_urls(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The result with its whole-book files (formats, in the core) as URLs."""
    if not result or not isinstance(result.get("audiobook"), list):
        return result
    book, rendition = result.get("book_id"), result.get("rendition_id")
    urls = {
        fmt: f"/api/v1/books/{book}/audiobook?format={fmt}&rendition={rendition}"
        for fmt in result["audiobook"]
    }
    return {**result, "audiobook": urls}
