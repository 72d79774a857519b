"""/api/v1/books: submit books, browse the catalogue, read chapters, fetch audio."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter
from litestar.response import Redirect, Stream

from application.books.find_book_by_isbn import FindBookByIsbn
from application.books.get_book import GetBook
from application.books.get_chapter_audio import GetChapterAudio
from application.books.list_books import ListBooks, ListBooksQuery
from application.books.list_chapters import ChapterRef, ChaptersQuery, GetChapter, ListChapters
from application.books.ports import BookFilter
from application.books.process_book import ProcessBook, ProcessBookCommand
from application.shared.ports import PageRequest
from domain.user import User
from entrypoints.http.books.schemas import (
    BookRead,
    ChapterList,
    ChapterRead,
    JobAccepted,
    ProcessBookRequest,
)
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import errors
from entrypoints.http.ranges import parse_range
from entrypoints.http.request_id import request_id_of
from entrypoints.http.schemas import Page

Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, description="items to skip")]
Text = Annotated[str | None, Parameter(max_length=200)]
Language = Annotated[str | None, Parameter(min_length=2, max_length=3, description="ISO 639-1")]
Rendition = Annotated[
    UUID | None,
    QueryParameter(
        name="rendition",
        description="which rendition's audio (default: the latest complete one)",
    ),
]


class BooksController(Controller):
    """Books, their chapters and audio. Every route needs authentication."""

    path = "/api/v1/books"
    tags = ["books"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @post(
        "/process",
        operation_id="processBook",
        status_code=202,
        dependencies={"process_book": use_case("books.process_book")},
        responses=errors(400, 401, 422, 503),
    )
    async def process(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        process_book: NamedDependency[ProcessBook],
        data: JSONBody[ProcessBookRequest],
    ) -> JobAccepted:
        """Queue a book by ISBN-10 or ISBN-13 (hyphens and spaces allowed), with a voice
        (a type: default, female, male, child, or an engine's voice id), a speed (0.5-2.0)
        and an engine. Answers at once with the job id; if you already have a job in flight
        for the same book and recipe, that job is returned (``created: false``). Audio
        already made in the same recipe is reused, not spoken again."""
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
        "/",
        operation_id="listBooks",
        dependencies={"list_books": use_case("books.list_books")},
        responses=errors(401, 422),
    )
    async def list_books(
        self,
        user: NamedDependency[User],
        list_books: NamedDependency[ListBooks],
        limit: Limit = 20,
        offset: Offset = 0,
        title: Text = None,
        author: Text = None,
        language: Language = None,
    ) -> Page[BookRead]:
        """The catalogue ordered by title; filter by title or author (substring) or language."""
        page = await list_books(
            ListBooksQuery(
                PageRequest(limit, offset), BookFilter(title, author, language, viewer_id=user.id)
            )
        )
        return Page.of(page, BookRead.of)

    @get(
        "/{book_id:uuid}",
        operation_id="getBook",
        dependencies={"get_book": use_case("books.get_book")},
        responses=errors(401, 404),
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
        responses=errors(401, 404, 422),
    )
    async def find_by_isbn(
        self, find: NamedDependency[FindBookByIsbn], isbn: FromPath[str]
    ) -> BookRead:
        """The book any edition's ISBN (10 or 13) points to."""
        return BookRead.of(await find(isbn))

    @get(
        "/{book_id:uuid}/chapters",
        operation_id="listChapters",
        dependencies={"list_chapters": use_case("books.list_chapters")},
        responses=errors(401, 404),
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
        "/{book_id:uuid}/chapters/{number:int}",
        operation_id="getChapter",
        dependencies={"get_chapter": use_case("books.get_chapter")},
        responses=errors(401, 404),
    )
    async def get_chapter(
        self,
        user: NamedDependency[User],
        get_chapter: NamedDependency[GetChapter],
        book_id: FromPath[UUID],
        number: FromPath[int],
        rendition: Rendition = None,
    ) -> ChapterRead:
        """One chapter, with its audio in one rendition."""
        return ChapterRead.of(await get_chapter(ChapterRef(book_id, number, rendition, user.id)))

    @get(
        "/{book_id:uuid}/chapters/{number:int}/audio",
        operation_id="getChapterAudio",
        dependencies={"get_audio": use_case("books.get_chapter_audio")},
        responses=errors(401, 404, 416),
    )
    async def get_audio(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        get_audio: NamedDependency[GetChapterAudio],
        book_id: FromPath[UUID],
        number: FromPath[int],
        rendition: Rendition = None,
    ) -> Stream | Redirect:
        """The chapter's MP3 in one rendition (default: the latest complete one): a
        redirect to a pre-signed URL (S3), or the bytes with HTTP Range support (206
        Partial Content) from local storage."""
        audio = await get_audio(ChapterRef(book_id, number, rendition, user.id))
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
