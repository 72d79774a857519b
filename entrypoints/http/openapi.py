"""OpenAPI helpers: documented error responses and the docs configuration."""

from __future__ import annotations

from typing import Any

from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, Example, SecurityScheme
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from entrypoints.http.schemas import ErrorResponse

_EXAMPLE_CODES = {
    400: ("malformed_json", "the request body is not valid JSON: Input data was truncated"),
    401: ("invalid_token", "invalid access token: Signature has expired"),
    404: ("job_not_found", "no job 729dab70-aa4b-43f9-a5ea-06199c36ba32"),
    409: ("invalid_job_transition", "a completed job cannot become cancelled"),
    413: ("payload_too_large", "the request body is too large"),
    416: ("range_not_satisfiable", "the requested range is outside the audio"),
    422: ("invalid_isbn", "'123' is not an ISBN: expected 10 or 13 digits, got 3"),
    429: ("rate_limited", "too many login attempts; try again in 42 s"),
    503: ("upstream_unavailable", "the job queue is unavailable; the job is saved ..."),
}

_DESCRIPTIONS = {
    400: "Malformed request (e.g. the body is not JSON)",
    401: "Missing or invalid credentials",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    413: "Request body too large",
    416: "Range not satisfiable",
    422: "Invalid input",
    429: "Too many attempts; see Retry-After",
    503: "A dependency is unavailable",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """Response specs for the error envelope at each status."""
    return {
        status: ResponseSpec(
            data_container=ErrorResponse,
            description=_DESCRIPTIONS.get(status, "Error"),
            examples=[_example(status)],
        )
        for status in statuses
    }


ASSETS = "/docs/assets"


def docs_assets_router() -> Any:
    """Swagger UI 5's files, from the swagger-ui-bundle-v2 wheel: the docs need no internet."""
    return create_static_files_router(
        path=ASSETS,
        directories=[swagger_ui_path],
        include_in_schema=False,
        name="docs-assets",
    )


def _example(status: int) -> Example:
    code, message = _EXAMPLE_CODES.get(status, ("error", "what went wrong"))
    body = {
        "success": False,
        "error": {"code": code, "message": message, "request_id": "5f0c9e6b2d7a4c1e"},
    }
    return Example(summary=code, value=body)


def openapi_config() -> OpenAPIConfig:
    """The API document at /docs/openapi.json and a UI at /docs."""
    return OpenAPIConfig(
        title="BookBytes API",
        version="0.1.0",
        description=(
            "Turn a book (an ISBN) into chapter summaries and MP3 audio. Submit a book, poll "
            "the job, then read chapters and fetch audio. Every error answers "
            '`{"success": false, "error": {"code", "message", "request_id"}}`.'
        ),
        path="/docs",
        render_plugins=[
            SwaggerRenderPlugin(
                path="/",
                js_url=f"{ASSETS}/swagger-ui-bundle.js",
                css_url=f"{ASSETS}/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
                favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
            )
        ],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                "ApiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
            }
        ),
        security=[{"BearerToken": []}, {"ApiKey": []}],
    )
