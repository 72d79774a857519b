"""The uploads feature: where book files are kept, the readers that find their chapters
(run in child processes), and the use cases of /api/v1/uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from application.uploads.chapter_text import GetChapterText
from application.uploads.create_upload import CreateUpload
from application.uploads.get_audiobook import GetAudiobook
from application.uploads.get_upload import DeleteUpload, GetUpload, GetUploadCover
from application.uploads.process_upload import ProcessUpload

if TYPE_CHECKING:
    from adapters.resilience import RetryPolicy
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings


def make_upload_store(settings: Settings, closer: AsyncCloser, policy: RetryPolicy) -> Any:
    """Where uploaded files are kept: the audio's S3 bucket when STORAGE_BACKEND=s3 (every
    machine sees them), else UPLOAD_LOCAL_PATH."""
    if settings.storage_backend == "s3":
        from adapters.storage.s3_uploads import S3UploadStore

        store = S3UploadStore(
            settings.s3_bucket or "",
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            policy=policy,
        )
        closer.register("s3 upload client", store.aclose)
        return store
    from adapters.storage.uploads import LocalUploadStore

    return LocalUploadStore(settings.upload_local_path)


def make_reader_pool(settings: Settings, closer: AsyncCloser) -> Any:
    from adapters.native.pool import ChildProcessPool

    pool = ChildProcessPool(
        "book reader", max_workers=settings.reader_processes, timeout_s=settings.reader_timeout_s
    )
    closer.register("book reader child processes", pool.aclose)
    return pool


def make_ocr_models(settings: Settings, closer: AsyncCloser) -> Any:
    """The Tesseract models for OCR_LANGUAGES (bundled, or from OCR_TESSDATA_PATH).

    Raises:
        SettingsError: OCR_TESSDATA_PATH is not a folder, or a language has no model.
    """
    from adapters.bookfiles.ocr_models import MissingOcrModels, OcrModels
    from entrypoints.settings import SettingsError

    extra = settings.ocr_tessdata_path
    try:
        models = OcrModels(settings.ocr_languages, extra)
    except NotADirectoryError as exc:
        raise SettingsError("OCR_TESSDATA_PATH", f"OCR_TESSDATA_PATH: {exc}") from exc
    except MissingOcrModels as exc:
        code = exc.missing[0]
        where = (
            f"OCR_TESSDATA_PATH {str(extra)!r}" if extra else "a folder named by OCR_TESSDATA_PATH"
        )
        raise SettingsError(
            "OCR_LANGUAGES",
            f"OCR_LANGUAGES={'+'.join(settings.ocr_languages)}: {exc}; put {code}.traineddata "
            f"in {where} (or pip install tessdata-fast-{code} where PyPI has it), or fix "
            "OCR_LANGUAGES",
        ) from exc

    async def close() -> None:
        models.close()

    closer.register("OCR model links", close)
    return models


def make_readers(settings: Settings, ocr: Any, pool: Any) -> dict[str, Any]:
    """A BookReader per format name (``ocr`` before ``pool``: it is closed after it)."""
    from adapters.bookfiles.readers import (
        PooledBookReader,
        PooledPdfReader,
        read_docx_file,
        read_epub_file,
        read_fb2_file,
        read_html_file,
        read_mobi_file,
        read_txt_file,
    )

    limits = (settings.epub_max_uncompressed_bytes, settings.epub_max_ratio)
    stale_after_s = max(2 * settings.reader_timeout_s, 600.0)  # only a killed read's leftovers
    return {
        "txt": PooledBookReader(read_txt_file, pool),
        "epub": PooledBookReader(read_epub_file, pool, *limits),
        "pdf": PooledPdfReader(pool, settings.max_pages, str(ocr.folder), ocr.languages),
        "html": PooledBookReader(read_html_file, pool),
        "fb2": PooledBookReader(read_fb2_file, pool, *limits),
        "docx": PooledBookReader(read_docx_file, pool, *limits),
        "mobi": PooledBookReader(read_mobi_file, pool, *limits, stale_after_s),
    }


class UploadsContainer(containers.DeclarativeContainer):
    """Uploads: store, read, describe and delete book files."""

    core = providers.DependenciesContainer()
    making = providers.DependenciesContainer()
    jobs = providers.DependenciesContainer()
    settings = core.settings

    store: providers.Dependency[Any] = providers.Dependency()  # shared with upload_making
    reader_pool = providers.Singleton(make_reader_pool, settings, core.closer)
    ocr_models = providers.Singleton(make_ocr_models, settings, core.closer)
    readers = providers.Singleton(make_readers, settings, ocr_models, reader_pool)

    create_upload = providers.Factory(
        CreateUpload,
        uow_factory=core.uow_factory,
        store=store,
        readers=readers,
        clock=core.clock,
        ids=core.ids,
        max_bytes=settings.provided.max_upload_bytes,
    )
    get_upload = providers.Factory(GetUpload, uow_factory=core.uow_factory)
    get_upload_cover = providers.Factory(GetUploadCover, uow_factory=core.uow_factory, store=store)
    delete_upload = providers.Factory(DeleteUpload, uow_factory=core.uow_factory, store=store)
    process_upload = providers.Factory(
        ProcessUpload,
        uow_factory=core.uow_factory,
        submit=jobs.submit,
        engines=making.speech_engines,
        clock=core.clock,
        ids=core.ids,
    )
    get_chapter_text = providers.Factory(GetChapterText, uow_factory=core.uow_factory)
    get_audiobook = providers.Factory(
        GetAudiobook, uow_factory=core.uow_factory, storage=making.storage
    )


__all__ = ["UploadsContainer", "make_ocr_models", "make_upload_store"]
