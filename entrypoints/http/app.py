"""The Litestar app factory."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from litestar import Litestar
from litestar.datastructures import State

from entrypoints import community_refresh
from entrypoints.container import Container, build_container
from entrypoints.http.access_log import AccessLogMiddleware
from entrypoints.http.accounts.controller import AuthController
from entrypoints.http.body_guard import BODY_EXCEPTION_HANDLERS, require_json_body
from entrypoints.http.books.controller import BooksController
from entrypoints.http.community.catalogue import CatalogueController
from entrypoints.http.community.controller import (
    GenresController,
    RecommendationsController,
    ReviewsController,
    UsersController,
)
from entrypoints.http.compression import compression_config
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.head import HeadAsGet
from entrypoints.http.health import HealthController
from entrypoints.http.jobs.controller import JobsController
from entrypoints.http.openapi import ClosedStructSchemaPlugin, docs_assets_router, openapi_config
from entrypoints.http.request_id import add_request_id_header
from entrypoints.http.uploads.controller import BookFilesController, UploadsController
from entrypoints.http.voices.controller import VoicesController
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

log = structlog.get_logger(__name__)


def create_app(container: Container | None = None) -> Litestar:
    """Build the API around ``container`` (default: one built from the environment).

    With the in-process queue, the app also runs the jobs: at start it resumes any job
    left unfinished; at shutdown it lets running jobs finish for SHUTDOWN_TIMEOUT_S.
    """
    container = container or build_container(Settings.from_env())
    settings = container.settings()

    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.queue_backend == "inprocess":  # this process runs the jobs
            resumed = await container.jobs.resume_jobs()()
            if resumed:
                log.info("resumed unfinished jobs", count=resumed)
            # the workers' cron does it with SAQ
            community_refresh.start(container, settings.community_refresh_s)
        try:
            yield
        finally:
            # Closes the in-process queue first (running jobs get SHUTDOWN_TIMEOUT_S).
            await container.core.closer().aclose()

    from contextlib import asynccontextmanager

    app = Litestar(
        route_handlers=[
            AuthController,
            BooksController,
            JobsController,
            HealthController,
            VoicesController,
            CatalogueController,
            UsersController,
            GenresController,
            ReviewsController,
            RecommendationsController,
            UploadsController,
            BookFilesController,
            docs_assets_router(),
        ],
        exception_handlers={**EXCEPTION_HANDLERS, **BODY_EXCEPTION_HANDLERS},  # type: ignore[dict-item]
        before_request=require_json_body,
        before_send=[add_request_id_header],
        openapi_config=openapi_config(),
        plugins=[ClosedStructSchemaPlugin()],
        compression_config=compression_config(),
        state=State({"container": container}),
        lifespan=[asynccontextmanager(lifespan)],
        request_max_body_size=settings.max_request_bytes,
        debug=False,
        logging_config=None,  # structlog is configured by the process (entrypoints.log_config)
    )
    return app


def asgi_app(container: Container | None = None) -> Any:
    """The app wrapped in the outer ASGI layers: request ids and the access log, and HEAD
    answered on every GET route."""
    return AccessLogMiddleware(HeadAsGet(create_app(container)))
