"""/api/v1/uploads: book files in, detected chapters out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from application.uploads.create_upload import CreateUpload, CreateUploadCommand
from application.uploads.get_upload import DeleteUpload, GetUpload, GetUploadCover
from domain.user import User
from entrypoints.http.deps import AUTH, AUTH_GUARDS, use_case
from entrypoints.http.openapi import errors
from entrypoints.http.uploads.multipart import UploadForm
from entrypoints.http.uploads.schemas import UploadRead

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
        """Upload a book file (EPUB, PDF or plain text) as the multipart field ``file``.
        It is stored as it streams in and its chapters are detected; nothing is spoken
        yet. The format is read from the bytes, not the name. Refusals: 413
        ``file_too_large``, 415 ``unsupported_format``, 422 ``encrypted_file``,
        ``unreadable_file`` or ``no_text`` (nothing of a refused file is kept)."""
        form = UploadForm(request)
        upload = await create_upload(
            CreateUploadCommand(user.id, lambda: form.filename, form.file_chunks())
        )
        return UploadRead.of(upload)

    @get(
        "/{upload_id:uuid}",
        operation_id="getUpload",
        dependencies={"get_upload": use_case("uploads.get_upload")},
        responses=errors(401, 404),
    )
    async def get_upload(
        self,
        user: NamedDependency[User],
        get_upload: NamedDependency[GetUpload],
        upload_id: FromPath[UUID],
    ) -> UploadRead:
        """One of your uploads: what was detected in it."""
        return UploadRead.of(await get_upload(upload_id, user.id))

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


def _image_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"
