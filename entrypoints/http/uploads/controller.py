"""/api/v1/uploads: book files in, detected chapters out."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Redirect, Stream

from application.uploads.chapter_text import GetChapterText
from application.uploads.create_upload import CreateUpload, CreateUploadCommand
from application.uploads.get_audiobook import AudiobookQuery, GetAudiobook
from application.uploads.get_upload import DeleteUpload, GetUpload, GetUploadCover
from application.uploads.process_upload import ProcessUpload, ProcessUploadCommand
from domain.errors import ValidationFailed
from domain.speech import MAX_SPEED, MIN_SPEED
from domain.upload import parse_ranges
from domain.user import User
from entrypoints.http.deps import AUTH, AUTH_GUARDS, container_of, use_case
from entrypoints.http.openapi import errors
from entrypoints.http.ranges import parse_range
from entrypoints.http.request_id import request_id_of
from entrypoints.http.uploads.multipart import UploadForm
from entrypoints.http.uploads.schemas import (
    ChapterTextRead,
    ProcessUploadRequest,
    UploadAndJobAccepted,
    UploadJobAccepted,
    UploadRead,
)

UPLOAD_BODY = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    }
}

_FORM_FIELDS = {
    name: {"type": "string"} for name in ("mode", "provider", "voice", "speed", "chapters")
}
UPLOAD_AND_PROCESS_BODY = {
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, **_FORM_FIELDS},
            }
        }
    }
}


class UploadsController(Controller):
    """Uploaded book files. Every route needs authentication; each user sees only theirs."""

    path = "/api/v1/uploads"
    tags = ["uploads"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @post(
        "/",
        operation_id="createUpload",
        status_code=201,
        dependencies={"create_upload": use_case("uploads.create_upload")},
        responses=errors(401, 413, 415, 422),
        request_max_body_size=None,  # the file's own limit (MAX_UPLOAD_BYTES) holds, streamed
        openapi_extra={"requestBody": UPLOAD_BODY},
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        create_upload: NamedDependency[CreateUpload],
    ) -> UploadRead:
        """Upload a book file (EPUB, PDF, plain text, HTML, FB2, DOCX, MOBI or AZW3) as the
        multipart field ``file``.
        It is stored as it streams in and its chapters are detected; nothing is spoken
        yet. The format is read from the bytes, not the name. Refusals: 413
        ``file_too_large``, 415 ``unsupported_format``, 422 ``encrypted_file``,
        ``unreadable_file`` or ``no_text`` (nothing of a refused file is kept)."""
        form = UploadForm(request)
        upload = await create_upload(
            CreateUploadCommand(user.id, lambda: form.filename, form.file_chunks())
        )
        return UploadRead.of(upload, _engines(request))

    @get(
        "/{upload_id:uuid}",
        operation_id="getUpload",
        dependencies={"get_upload": use_case("uploads.get_upload")},
        responses=errors(401, 404),
    )
    async def get_upload(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        get_upload: NamedDependency[GetUpload],
        upload_id: FromPath[UUID],
    ) -> UploadRead:
        """One of your uploads: what was detected in it."""
        return UploadRead.of(await get_upload(upload_id, user.id), _engines(request))

    @get(
        "/{upload_id:uuid}/cover",
        operation_id="getUploadCover",
        dependencies={"get_cover": use_case("uploads.get_upload_cover")},
        responses=errors(401, 404),
        media_type="image/*",
    )
    async def get_cover(
        self,
        user: NamedDependency[User],
        get_cover: NamedDependency[GetUploadCover],
        upload_id: FromPath[UUID],
    ) -> Response[bytes]:
        """The cover image found in the file."""
        image = await get_cover(upload_id, user.id)
        return Response(image, media_type=_image_type(image))

    @post(
        "/{upload_id:uuid}/process",
        operation_id="processUpload",
        status_code=202,
        dependencies={"process_upload": use_case("uploads.process_upload")},
        responses=errors(400, 401, 404, 422, 503),
    )
    async def process(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        process_upload: NamedDependency[ProcessUpload],
        upload_id: FromPath[UUID],
        data: JSONBody[ProcessUploadRequest],
    ) -> UploadJobAccepted:
        """Make a book of one of your uploads: ``full`` narrates the chapters' text;
        ``summary``, ``explanation`` and ``summary_explanation`` speak what the language
        model writes about it. ``chapters`` picks some (default: all detected). Answers
        at once with the job; the same upload, chapters and recipe in flight is that job."""
        result = await process_upload(
            ProcessUploadCommand(
                owner_id=user.id,
                upload_id=upload_id,
                mode=data.mode,
                provider=data.provider,
                voice=data.voice,
                speed=data.speed,
                chapters=tuple(data.chapters) if data.chapters is not None else None,
                request_id=request_id_of(request.scope),
            )
        )
        return UploadJobAccepted(
            job_id=result.job.id, status=str(result.job.status), created=result.created
        )

    @delete(
        "/{upload_id:uuid}",
        operation_id="deleteUpload",
        dependencies={"delete_upload": use_case("uploads.delete_upload")},
        responses=errors(401, 404),
    )
    async def delete_upload(
        self,
        user: NamedDependency[User],
        delete_upload: NamedDependency[DeleteUpload],
        upload_id: FromPath[UUID],
    ) -> None:
        """Delete one of your uploads: the file, its cover and its text."""
        await delete_upload(upload_id, user.id)


def _engines(request: Request[Any, Any, Any]) -> list[str]:
    """The speech engines this server offers (what an estimate prices)."""
    return list(container_of(request).making.speech_engines().names())


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def _form_command(
    owner_id: UUID, upload_id: UUID, fields: dict[str, str], request_id: str | None
) -> ProcessUploadCommand:
    """The process command from form fields (``chapters`` as ranges: ``1-5,9``)."""
    try:
        speed = float(fields.get("speed") or 1.0)
        chapters = parse_ranges(fields["chapters"]) if fields.get("chapters") else None
    except ValueError as error:
        raise ValidationFailed(f"bad form field: {error}") from None
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValidationFailed(f"speed must be within {MIN_SPEED}-{MAX_SPEED}")
    return ProcessUploadCommand(
        owner_id=owner_id,
        upload_id=upload_id,
        mode=fields.get("mode") or "full",
        provider=fields.get("provider") or None,
        voice=fields.get("voice") or None,
        speed=speed,
        chapters=chapters,
        request_id=request_id,
    )


Rendition = Annotated[
    UUID | None,
    QueryParameter(name="rendition", description="which rendition (default: the latest complete)"),
]
AudiobookFormat = Annotated[
    Literal["m4b", "mp3"],
    QueryParameter(name="format", description="m4b (AAC, chapters) or mp3 (ID3 chapters)"),
]
MEDIA_TYPES = {"m4b": "audio/mp4", "mp3": "audio/mpeg"}


class BookFilesController(Controller):
    """Books made from files: upload and process in one call, and chapters' text."""

    path = "/api/v1/books"
    tags = ["uploads"]
    dependencies = AUTH
    guards = AUTH_GUARDS

    @post(
        "/upload",
        operation_id="uploadAndProcessBook",
        status_code=202,
        dependencies={
            "create_upload": use_case("uploads.create_upload"),
            "process_upload": use_case("uploads.process_upload"),
        },
        responses=errors(401, 413, 415, 422, 503),
        request_max_body_size=None,  # the file's own limit (MAX_UPLOAD_BYTES) holds, streamed
        openapi_extra={"requestBody": UPLOAD_AND_PROCESS_BODY},
    )
    async def upload_and_process(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        create_upload: NamedDependency[CreateUpload],
        process_upload: NamedDependency[ProcessUpload],
    ) -> UploadAndJobAccepted:
        """Upload a book file and start making it, in one call: the multipart field
        ``file`` plus the options of POST /uploads/{id}/process as form fields (``mode``,
        ``provider``, ``voice``, ``speed``, ``chapters`` as ranges like ``1-5,9``). Bad
        options are refused after the file is read; the upload is then kept (use it with
        POST /uploads/{id}/process)."""
        form = UploadForm(request)
        upload = await create_upload(
            CreateUploadCommand(user.id, lambda: form.filename, form.file_chunks())
        )
        result = await process_upload(
            _form_command(user.id, upload.id, form.fields, request_id_of(request.scope))
        )
        return UploadAndJobAccepted(
            job_id=result.job.id,
            status=str(result.job.status),
            upload_id=upload.id,
            created=result.created,
        )

    @get(
        "/{book_id:uuid}/chapters/{number:int}/text",
        operation_id="getChapterText",
        dependencies={"get_text": use_case("uploads.get_chapter_text")},
        responses=errors(401, 404),
    )
    async def get_text(
        self,
        user: NamedDependency[User],
        get_text: NamedDependency[GetChapterText],
        book_id: FromPath[UUID],
        number: FromPath[int],
    ) -> ChapterTextRead:
        """The text extracted from your file for one chapter of a book made from it."""
        text = await get_text(book_id, number, user.id)
        return ChapterTextRead(
            book_id=book_id, number=text.number, title=text.title, words=text.words, text=text.text
        )

    @get(
        "/{book_id:uuid}/audiobook",
        operation_id="getAudiobook",
        dependencies={"get_audiobook": use_case("uploads.get_audiobook")},
        responses=errors(401, 404, 409, 416, 422),
    )
    async def get_audiobook(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        get_audiobook: NamedDependency[GetAudiobook],
        book_id: FromPath[UUID],
        format: AudiobookFormat = "m4b",
        rendition: Rendition = None,
    ) -> Stream | Redirect:
        """The whole book as one file with chapter marks, cover and tags: ``m4b`` (AAC,
        for Apple Books and audiobook players) or ``mp3`` (ID3 chapters). A redirect to a
        pre-signed URL (S3), or the bytes with HTTP Range support. 409
        ``audiobook_not_ready`` while its job is still making it."""
        found = await get_audiobook(AudiobookQuery(book_id, user.id, format, rendition))
        audio = found.file
        if audio.redirect_url is not None:
            return Redirect(audio.redirect_url, status_code=307)
        name = "".join(c for c in found.book.title if c.isalnum() or c in " -_")[:80].strip()
        headers = {
            "Accept-Ranges": "bytes",
            "Content-Disposition": f'attachment; filename="{name or "book"}.{format}"',
        }
        byte_range = parse_range(request.headers.get("range"), audio.size)
        if byte_range is None:
            headers["Content-Length"] = str(audio.size)
            return Stream(audio.stream(), media_type=MEDIA_TYPES[format], headers=headers)
        start, end = byte_range
        headers["Content-Range"] = f"bytes {start}-{end}/{audio.size}"
        headers["Content-Length"] = str(end - start + 1)
        return Stream(
            audio.stream(start, end),
            status_code=206,
            media_type=MEDIA_TYPES[format],
            headers=headers,
        )
