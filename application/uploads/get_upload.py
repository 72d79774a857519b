"""GetUpload and DeleteUpload: the caller's own uploads (another user's is not found)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import UploadNotFound

if TYPE_CHECKING:
    from uuid import UUID

    from application.uploads.ports import UploadStore, UploadsUnitOfWork, UploadsUnitOfWorkFactory
    from domain.upload import Upload


async def load_upload(uow: UploadsUnitOfWork, upload_id: UUID, owner_id: UUID) -> Upload:
    """The owner's upload, or UploadNotFound (also for someone else's)."""
    upload = await uow.uploads.get(upload_id)
    if upload is None or upload.owner_id != owner_id:
        raise UploadNotFound(f"you have no upload {upload_id}")
    return upload


class GetUpload:
    """Return one of the caller's uploads. Raises UploadNotFound."""

    def __init__(self, *, uow_factory: UploadsUnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def __call__(self, upload_id: UUID, owner_id: UUID) -> Upload:
        async with self._uow() as uow:
            return await load_upload(uow, upload_id, owner_id)


class GetUploadCover:
    """Return an upload's cover image bytes. Raises UploadNotFound."""

    def __init__(self, *, uow_factory: UploadsUnitOfWorkFactory, store: UploadStore) -> None:
        self._uow = uow_factory
        self._store = store

    async def __call__(self, upload_id: UUID, owner_id: UUID) -> bytes:
        async with self._uow() as uow:
            upload = await load_upload(uow, upload_id, owner_id)
        if upload.cover_key is None:
            raise UploadNotFound(f"upload {upload_id} has no cover")
        return await self._store.read(upload.cover_key)


class DeleteUpload:
    """Delete one of the caller's uploads: its row, text and stored files (a book already
    made from it stays). Raises UploadNotFound."""

    def __init__(self, *, uow_factory: UploadsUnitOfWorkFactory, store: UploadStore) -> None:
        self._uow = uow_factory
        self._store = store

    async def __call__(self, upload_id: UUID, owner_id: UUID) -> None:
        async with self._uow() as uow:
            upload = await load_upload(uow, upload_id, owner_id)
            await uow.uploads.delete(upload_id)
            await uow.commit()
        await self._store.delete(upload.file_key)
        if upload.cover_key is not None:
            await self._store.delete(upload.cover_key)


__all__ = ["DeleteUpload", "GetUpload", "GetUploadCover", "load_upload"]
