"""Bodies of /api/v1/uploads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from domain.cost import estimate_cost, work_size
from domain.recipe import Mode
from domain.speech import MAX_SPEED, MIN_SPEED
from domain.upload import Upload
from entrypoints.http.schemas import BookId, JobId, Moment, Schema, Status, ex

UploadId = Annotated[UUID, ex("0b5a9e55-6a53-4b1c-9d0e-3a1f7a3c2e11")]


class UploadChapterRead(Schema):
    """A chapter found in the file."""

    number: Annotated[int, ex(1)]
    title: Annotated[str, ex("Stave I: Marley's Ghost")]
    words: Annotated[int, ex(6414)]


class EstimateRead(Schema):
    """The size of the work: characters and words to speak, language-model tokens to read
    (summaries), how long a full narration lasts, and what a full narration costs with
    each speech engine this server has (USD, at the prices of ``prices_as_of``)."""

    characters: Annotated[int, ex(165_000)]
    words: Annotated[int, ex(28_400)]
    llm_tokens: Annotated[int, ex(41_250)]
    speech_seconds: Annotated[int, ex(10_994)]
    cost_usd: Annotated[dict[str, float], ex({"polly": 2.64, "piper": 0.0})]
    prices_as_of: Annotated[date, ex("2025-06-01")]


class UploadRead(Schema):
    """What was found in an uploaded file; nothing is spoken yet."""

    upload_id: UploadId
    format: Annotated[str, ex("epub")]
    filename: Annotated[str, ex("a-christmas-carol.epub")]
    size_bytes: Annotated[int, ex(187_000)]
    title: Annotated[str, ex("A Christmas Carol")]
    author: Annotated[str, ex("Charles Dickens")]
    language: Annotated[str, ex("en")]
    cover: Annotated[
        str | None,
        msgspec.Meta(description="where to fetch the cover image (null: the file has none)"),
    ]
    chapters: list[UploadChapterRead]
    characters: Annotated[int, ex(165_000)]
    estimate: EstimateRead
    book_id: BookId | None
    created_at: Moment

    @classmethod
    def of(cls, upload: Upload, engines: Sequence[str] = ()) -> UploadRead:
        """The body for ``upload``, with a full narration's cost on each of ``engines``."""
        estimate = upload.estimate()
        narration = estimate_cost(
            work_size(Mode.FULL, [upload.characters], summary_words=0),
            speed=1.0,
            engines=engines,
            llm_model=None,
        )
        return cls(
            upload_id=upload.id,
            format=upload.format.value,
            filename=upload.filename,
            size_bytes=upload.size_bytes,
            title=upload.title,
            author=upload.author,
            language=upload.language,
            cover=f"/api/v1/uploads/{upload.id}/cover" if upload.cover_key else None,
            chapters=[
                UploadChapterRead(number=c.number, title=c.title, words=c.words)
                for c in upload.chapters
            ],
            characters=upload.characters,
            estimate=EstimateRead(
                characters=estimate.characters,
                words=estimate.words,
                llm_tokens=estimate.llm_tokens,
                speech_seconds=estimate.speech_seconds,
                cost_usd=narration.cost_usd,
                prices_as_of=narration.prices_as_of,
            ),
            book_id=upload.book_id,
            created_at=upload.created_at,
        )


class ProcessUploadRequest(Schema):
    """How to make the book: the mode, the speech options, and which chapters."""

    mode: Annotated[
        str,
        msgspec.Meta(
            max_length=32,
            description="full (narrate the text), summary, explanation or summary_explanation",
            examples=["full"],
        ),
    ] = "full"
    provider: Annotated[str, msgspec.Meta(max_length=32, examples=["espeak"])] | None = None
    voice: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=64,
                description="a voice type (default, female, male, child) or an engine's voice id",
                examples=["female"],
            ),
        ]
        | None
    ) = None
    speed: Annotated[float, msgspec.Meta(ge=MIN_SPEED, le=MAX_SPEED, examples=[1.0])] = 1.0
    chapters: (
        Annotated[
            list[Annotated[int, msgspec.Meta(ge=1)]],
            msgspec.Meta(max_length=5000, description="chapter numbers (default: all)"),
        ]
        | None
    ) = None


class UploadJobAccepted(Schema):
    """The job that will make (or is making) the book."""

    job_id: JobId
    status: Status
    created: bool = True


class UploadAndJobAccepted(Schema):
    """The stored upload and the job that will make the book from it."""

    job_id: JobId
    status: Status
    upload_id: UploadId
    created: bool = True


class ChapterTextRead(Schema):
    """A chapter's extracted text."""

    book_id: BookId
    number: Annotated[int, ex(1)]
    title: Annotated[str, ex("Stave I: Marley's Ghost")]
    words: Annotated[int, ex(6414)]
    text: str
