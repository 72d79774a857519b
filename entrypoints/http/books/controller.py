"""/api/v1/books: submit books, browse the catalogue, read chapters, fetch audio."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from litestar.response import Redirect, Stream

from application.books.estimate_book import EstimateBook, EstimateBookCommand
from application.books.find_book_by_isbn import FindBookByIsbn
from application.books.get_book import GetBook
from application.books.get_chapter_audio import GetChapterAudio
from application.books.list_chapters import ChapterRef, ChaptersQuery, GetChapter, ListChapters
from application.books.process_book import ProcessBook, ProcessBookCommand
from domain.user import User
from entrypoints.http.books.schemas import (
    ISBN_PATTERN,
    BookRead,
    ChapterList,
    ChapterRead,
    EstimateRead,
    JobAccepted,
    ProcessBookRequest,
)
from entrypoints.http.deps import AUTH, AUTH_GUARDS, container_of, use_case
from entrypoints.http.openapi import AUTHENTICATED, audio_responses, errors
from entrypoints.http.params import ChapterNumber, chapter_number
from entrypoints.http.ranges import parse_range
from entrypoints.http.rate_limit import enforce_user_limit
from entrypoints.http.request_id import request_id_of

Rendition = Annotated[
    UUID | None,
    QueryParameter(
        name="rendition",
        description="which rendition's audio (default: the latest complete one)",
    ),
]


class BooksController(Controller):
    """Books, their chapters and audio. Every route needs authentication. The catalogue
    listing (GET /api/v1/books) is the community feature's (http/community/catalogue.py)."""

    path = "/api/v1/books"
    tags = ["books"]
    dependencies = AUTH
    guards = AUTH_GUARDS
    security = AUTHENTICATED

    @post(
        "/process",
        operation_id="processBook",
        status_code=202,
        dependencies={
            "process_book": use_case("books.process_book"),
            "estimate_book": use_case("books.estimate_book"),
        },
        responses={
            202: ResponseSpec(
                data_container=JobAccepted,
                description="The job that will do (or is doing) the work",
                generate_examples=False,
            ),
            200: ResponseSpec(
                data_container=EstimateRead,
                description="With dry_run: what the book would cost; nothing is queued",
                generate_examples=False,
            ),
            **errors(
                401,
                429,
                503,
                body=True,
                codes={
                    422: ("invalid_isbn", "invalid_voice", "invalid_provider", "validation_error")
                },
            ),
        },
    )
    async def process(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        process_book: NamedDependency[ProcessBook],
        estimate_book: NamedDependency[EstimateBook],
        data: JSONBody[ProcessBookRequest],
    ) -> JobAccepted | Response[EstimateRead]:
        """Queue a book by ISBN-10 or ISBN-13 (hyphens and spaces allowed), with a voice
        (a type: default, female, male, child, or an engine's voice id), a speed (0.5-2.0)
        and an engine. Answers at once with the job id; if you already have a job in flight
        for the same book and recipe, that job is returned (``created: false``). Audio
        already made in the same recipe is reused, not spoken again. With ``dry_run: true``
        nothing is queued: the answer is 200 with the estimated characters, tokens, seconds
        and dollars per configured engine."""
        if data.dry_run:
            estimate = await estimate_book(
                EstimateBookCommand(
                    isbn=data.isbn,
                    provider=data.provider,
                    voice=data.voice,
                    speed=data.speed,
                    mode=data.mode,
                )
            )
            return Response(EstimateRead.of(estimate), status_code=200)
        limit = container_of(request).settings().jobs_per_minute
        await enforce_user_limit(request, "job submission", user.id, limit)
        result = await process_book(
            ProcessBookCommand(
                owner_id=user.id,
                isbn=data.isbn,
                provider=data.provider,
                voice=data.voice,
                speed=data.speed,
                mode=data.mode,
                request_id=request_id_of(request.scope),
            )
        )
        return JobAccepted(
            job_id=result.job.id, status=str(result.job.status), created=result.created
        )

    @get(
        "/{book_id:uuid}",
        operation_id="getBook",
        dependencies={"get_book": use_case("books.get_book")},
        responses=errors(401, 404, 503, codes={404: ("book_not_found",)}),
    )
    async def get_book(
        self,
        user: NamedDependency[User],
        get_book: NamedDependency[GetBook],
        book_id: FromPath[UUID],
    ) -> BookRead:
        """One book."""
        return BookRead.of(await get_book(book_id, user.id))

    @get(
        "/isbn/{isbn:str}",
        operation_id="findBookByIsbn",
        dependencies={"find": use_case("books.find_book_by_isbn")},
        responses=errors(401, 404, 503, codes={404: ("book_not_found",), 422: ("invalid_isbn",)}),
    )
    async def find_by_isbn(
        self,
        find: NamedDependency[FindBookByIsbn],
        isbn: Annotated[str, Parameter(max_length=32, schema_extra={"pattern": ISBN_PATTERN})],
    ) -> BookRead:
        """The book any edition's ISBN (10 or 13) points to."""
        return BookRead.of(await find(isbn))

    @get(
        "/{book_id:uuid}/chapters",
        operation_id="listChapters",
        dependencies={"list_chapters": use_case("books.list_chapters")},
        responses=errors(401, 404, 503, codes={404: ("book_not_found", "rendition_not_found")}),
    )
    async def list_chapters(
        self,
        user: NamedDependency[User],
        list_chapters: NamedDependency[ListChapters],
        book_id: FromPath[UUID],
        rendition: Rendition = None,
    ) -> ChapterList:
        """A book's chapters in order, with summaries and the audio of one rendition."""
        views = await list_chapters(ChaptersQuery(book_id, rendition, user.id))
        return ChapterList.of(book_id, views)

    @get(
        "/{book_id:uuid}/chapters/{number:str}",
        operation_id="getChapter",
        dependencies={"get_chapter": use_case("books.get_chapter")},
        responses=errors(
            401,
            404,
            503,
            codes={404: ("book_not_found", "chapter_not_found", "rendition_not_found")},
        ),
    )
    async def get_chapter(
        self,
        user: NamedDependency[User],
        get_chapter: NamedDependency[GetChapter],
        book_id: FromPath[UUID],
        number: ChapterNumber,
        rendition: Rendition = None,
    ) -> ChapterRead:
        """One chapter, with its audio in one rendition."""
        ref = ChapterRef(book_id, chapter_number(number), rendition, user.id)
        return ChapterRead.of(await get_chapter(ref))

    @get(
        "/{book_id:uuid}/chapters/{number:str}/audio",
        operation_id="getChapterAudio",
        dependencies={"get_audio": use_case("books.get_chapter_audio")},
        responses={
            **audio_responses(),
            **errors(
                401,
                404,
                416,
                503,
                codes={404: ("book_not_found", "chapter_not_found", "audio_not_found")},
            ),
        },
    )
    async def get_audio(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        get_audio: NamedDependency[GetChapterAudio],
        book_id: FromPath[UUID],
        number: ChapterNumber,
        rendition: Rendition = None,
    ) -> Stream | Redirect:
        """The chapter's MP3 in one rendition (default: the latest complete one): a
        redirect to a pre-signed URL (S3), or the bytes with HTTP Range support (206
        Partial Content) from local storage."""
        audio = await get_audio(ChapterRef(book_id, chapter_number(number), rendition, user.id))
        if audio.redirect_url is not None:
            return Redirect(audio.redirect_url, status_code=307)
        headers = {"Accept-Ranges": "bytes"}
        byte_range = parse_range(request.headers.get("range"), audio.size)
        if byte_range is None:
            headers["Content-Length"] = str(audio.size)
            return Stream(audio.stream(), media_type="audio/mpeg", headers=headers)
        start, end = byte_range
        headers["Content-Range"] = f"bytes {start}-{end}/{audio.size}"
        headers["Content-Length"] = str(end - start + 1)
        return Stream(
            audio.stream(start, end), status_code=206, media_type="audio/mpeg", headers=headers
        )
