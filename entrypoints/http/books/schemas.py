"""Bodies of /api/v1/books."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from application.books.estimate_book import BookEstimate
from application.books.list_chapters import ChapterView
from domain.book import Book
from domain.speech import MAX_SPEED, MIN_SPEED
from entrypoints.http.schemas import BookId, JobId, Moment, Schema, ex

ISBN_PATTERN = r"^[0-9][0-9 -]{8,30}[0-9Xx]$"
RenditionId = Annotated[UUID, ex("5b0c6f0e-3f7e-4c43-9b55-2f4f1d7e8a10")]


class ProcessBookRequest(Schema):
    """Which book to summarise and speak, and how (the recipe)."""

    isbn: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=32,
            # Documented, not enforced by the schema: the domain checks it and answers the
            # precise 422 invalid_isbn (check digits are beyond a pattern anyway).
            extra_json_schema={
                "description": "ISBN-10 or ISBN-13; spaces and hyphens allowed",
                "examples": ["978-0-306-40615-7"],
                "extra": {"pattern": ISBN_PATTERN, "minLength": 10},
            },
        ),
    ]
    voice: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=64,
                description="a voice type (default, female, male, child) or a voice id "
                "of the engine from GET /api/v1/voices",
                examples=["female"],
            ),
        ]
        | None
    ) = None
    speed: Annotated[float, msgspec.Meta(ge=MIN_SPEED, le=MAX_SPEED, examples=[1.0])] = 1.0
    provider: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=32,
                description="the speech engine (default: the server's TTS_PROVIDER)",
                examples=["espeak"],
            ),
        ]
        | None
    ) = None
    mode: Annotated[
        str,
        msgspec.Meta(
            max_length=32,
            description="what is spoken: a book found by ISBN is made as chapter summaries",
            examples=["summary"],
        ),
    ] = "summary"
    dry_run: Annotated[
        bool,
        msgspec.Meta(description="answer 200 with a cost estimate instead of queuing the book"),
    ] = False


class EstimateRead(Schema):
    """What making the book would take and cost, per configured speech engine (USD)."""

    characters: Annotated[int, ex(24000)]
    llm_tokens: Annotated[dict[str, int], ex({"input": 5000, "output": 5340})]
    speech_seconds: Annotated[float, ex(1600.0)]
    cost_usd: Annotated[dict[str, float], ex({"polly": 0.3897, "piper": 0.0057})]
    llm_cost_usd: Annotated[float, ex(0.0057)]
    prices_as_of: Annotated[date, ex("2025-06-01")]
    chapters: Annotated[int, ex(20)]
    chapters_known: Annotated[bool, ex(False)]

    @classmethod
    def of(cls, result: BookEstimate) -> EstimateRead:
        e = result.estimate
        return cls(
            characters=e.characters,
            llm_tokens={"input": e.llm_input_tokens, "output": e.llm_output_tokens},
            speech_seconds=e.speech_seconds,
            cost_usd=e.cost_usd,
            llm_cost_usd=e.llm_cost_usd,
            prices_as_of=e.prices_as_of,
            chapters=result.chapters,
            chapters_known=result.chapters_known,
        )


class JobAccepted(Schema):
    """The job that will do (or is doing) the work."""

    job_id: JobId
    status: Annotated[str, ex("pending")]
    created: Annotated[bool, ex(True)]


class BookRead(Schema):
    """A book of the catalogue."""

    id: BookId
    title: Annotated[str, ex("Fantastic Mr. Fox")]
    author: Annotated[str, ex("Roald Dahl")]
    language: Annotated[str, ex("en")]
    edition: Annotated[str | None, ex("First Puffin edition")]
    publisher: Annotated[str | None, ex("Puffin")]
    pages: Annotated[int | None, ex(96)]
    publish_date: Annotated[date | None, ex("1988-10-01")]
    cover_url: Annotated[str | None, ex("https://covers.openlibrary.org/b/id/8739161-L.jpg")]
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, book: Book) -> BookRead:
        return cls(
            id=book.id,
            title=book.title,
            author=book.author,
            language=book.language,
            edition=book.edition,
            publisher=book.publisher,
            pages=book.pages,
            publish_date=book.publish_date,
            cover_url=book.cover_url,
            created_at=book.created_at,
            updated_at=book.updated_at,
        )


def audio_path(book_id: UUID, number: int, rendition_id: UUID) -> str:
    """Where the API serves a chapter's audio in one rendition."""
    return f"/api/v1/books/{book_id}/chapters/{number}/audio?rendition={rendition_id}"


class ChapterRead(Schema):
    """A chapter with its summary and where to get its audio."""

    number: Annotated[int, ex(1)]
    title: Annotated[str, ex("Mr. Fox")]
    summary: Annotated[str | None, ex("Mr. Fox feeds his family by raiding three farmers...")]
    word_count: Annotated[int, ex(180)]
    rendition_id: RenditionId | None
    audio_url: Annotated[
        str | None,
        ex(
            "/api/v1/books/2f22def2-457b-49c1-8263-4267c86fc62f/chapters/1/audio"
            "?rendition=5b0c6f0e-3f7e-4c43-9b55-2f4f1d7e8a10"
        ),
    ]
    duration_s: Annotated[float | None, ex(61.4)]
    created_at: Moment
    updated_at: Moment

    @classmethod
    def of(cls, view: ChapterView) -> ChapterRead:
        chapter, audio = view.chapter, view.audio
        return cls(
            number=chapter.number,
            title=chapter.title,
            summary=chapter.summary,
            word_count=chapter.word_count,
            rendition_id=audio.rendition_id if audio else None,
            audio_url=audio_path(chapter.book_id, chapter.number, audio.rendition_id)
            if audio
            else None,
            duration_s=audio.duration_s if audio else None,
            created_at=chapter.created_at,
            updated_at=chapter.updated_at,
        )


class RenditionRead(Schema):
    """How the audio was made: mode, engine, voice, speed."""

    id: RenditionId
    mode: Annotated[str, ex("summary")]
    provider: Annotated[str, ex("espeak")]
    voice: Annotated[str, ex("female")]
    speed: Annotated[float, ex(1.0)]
    complete: Annotated[bool, ex(True)]


class ChapterList(Schema):
    """A book's chapters in order, with audio from one rendition."""

    book_id: BookId
    rendition: RenditionRead | None
    items: list[ChapterRead]

    @classmethod
    def of(cls, book_id: UUID, views: list[ChapterView]) -> ChapterList:
        rendition = next((v.rendition for v in views if v.rendition is not None), None)
        return cls(
            book_id=book_id,
            rendition=None
            if rendition is None
            else RenditionRead(
                id=rendition.id,
                mode=rendition.mode.value,
                provider=rendition.speech.provider,
                voice=rendition.speech.voice,
                speed=rendition.speech.speed,
                complete=rendition.is_complete,
            ),
            items=[ChapterRead.of(v) for v in views],
        )
