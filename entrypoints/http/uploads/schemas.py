"""Bodies of /api/v1/uploads."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from domain.upload import Upload
from entrypoints.http.schemas import BookId, Moment, Schema, ex

UploadId = Annotated[UUID, ex("0b5a9e55-6a53-4b1c-9d0e-3a1f7a3c2e11")]


class UploadChapterRead(Schema):
    """A chapter found in the file."""

    number: Annotated[int, ex(1)]
    title: Annotated[str, ex("Stave I: Marley's Ghost")]
    words: Annotated[int, ex(6414)]


class EstimateRead(Schema):
    """The size of the work: characters and words to speak, language-model tokens to read
    (summaries), and how long a full narration lasts."""

    characters: Annotated[int, ex(165_000)]
    words: Annotated[int, ex(28_400)]
    llm_tokens: Annotated[int, ex(41_250)]
    speech_seconds: Annotated[int, ex(10_994)]


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
    def of(cls, upload: Upload) -> UploadRead:
        """The body for ``upload``."""
        estimate = upload.estimate()
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
            ),
            book_id=upload.book_id,
            created_at=upload.created_at,
        )
