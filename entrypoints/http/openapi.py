"""OpenAPI helpers: documented error responses and the docs configuration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

# The built-in plugin for msgspec Structs, extended below (Litestar has no public hook).
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, Example, SecurityScheme
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from entrypoints.http.schemas import ErrorResponse

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Schema
    from litestar.typing import FieldDefinition


class ClosedStructSchemaPlugin(StructSchemaPlugin):
    """Litestar's msgspec Struct schemas, with ``additionalProperties: false`` for Structs
    that refuse unknown fields (every body of ours: see ``schemas.Schema``), so the
    document is as strict as the server."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        if getattr(info, "forbid_unknown_fields", False):
            schema.additional_properties = False
        return schema


# What each error code says, for the documented examples (codes of domain/errors.py and of
# entrypoints/http/errors.py).
_MESSAGES = {
    "malformed_json": "the request body is not valid JSON: Input data was truncated",
    "unauthorized": "send an access token: 'Authorization: Bearer <token>'",
    "invalid_token": "invalid access token: Signature has expired",
    "invalid_credentials": "wrong email or password",
    "not_found": "no such resource",
    "book_not_found": "no book 2f22def2-457b-49c1-8263-4267c86fc62f",
    "chapter_not_found": "book 2f22def2-457b-49c1-8263-4267c86fc62f has no chapter 12",
    "rendition_not_found": "book 2f22def2-457b-49c1-8263-4267c86fc62f has no rendition 5b0c…",
    "audio_not_found": "chapter 2 of book 2f22def2-457b-49c1-8263-4267c86fc62f has no audio yet",
    "job_not_found": "no job 729dab70-aa4b-43f9-a5ea-06199c36ba32",
    "conflict": "the request clashes with the current state",
    "email_taken": "an account with ada@example.com already exists",
    "invalid_job_transition": "a completed job cannot become cancelled",
    "payload_too_large": "the request body is too large",
    "unsupported_media_type": "send the body as JSON with 'Content-Type: application/json'",
    "range_not_satisfiable": "the requested range is outside the audio",
    "validation_error": "the request is invalid",
    "invalid_isbn": "'123' is not an ISBN: expected 10 or 13 digits, got 3",
    "invalid_voice": "'robot' is not a voice of espeak: use default, female, male, child or …",
    "invalid_provider": "'polly' is not a speech engine of this server: use one of espeak",
    "invalid_email": "email must look like name@example.com (at most 254 characters)",
    "weak_password": "password must be 8 to 128 characters long",
    "rate_limited": "too many requests; try again in 42 s",
    "upstream_unavailable": "the database is unavailable; try again shortly",
    "upstream_error": "every speech engine failed: quota_exhausted",
    "not_ready": "not ready: queue unavailable",
}

_DEFAULT_CODES = {
    400: "malformed_json",
    401: "unauthorized",
    404: "not_found",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "validation_error",
    429: "rate_limited",
    502: "upstream_error",
    503: "upstream_unavailable",
}

_DESCRIPTIONS = {
    400: "Malformed request (e.g. the body is not JSON)",
    401: "Missing or invalid credentials",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    413: "Request body too large",
    415: "The body is not JSON (send Content-Type: application/json)",
    416: "Range not satisfiable",
    422: "Invalid input",
    429: "Too many requests; see Retry-After",
    502: "A speech engine or other service refused the request",
    503: "A dependency is unavailable; try again shortly",
}


def errors(
    *statuses: int, body: bool = False, codes: dict[int, tuple[str, ...]] | None = None
) -> dict[int, ResponseSpec]:
    """Response specs for the error envelope: ``statuses``, plus 400 and 422 (which any
    request with parameters may get), plus 413 and 415 for a route that reads a ``body``.
    ``codes`` names the error codes this route answers at a status (the examples)."""
    every = {400, 422, *statuses, *((413, 415) if body else ())}
    return {
        status: ResponseSpec(
            data_container=ErrorResponse,
            generate_examples=False,
            description=_DESCRIPTIONS.get(status, "Error"),
            examples=[
                _example(code)
                for code in (codes or {}).get(status, (_DEFAULT_CODES.get(status, "error"),))
            ],
        )
        for status in sorted(every)
    }


def audio_responses() -> dict[int, ResponseSpec]:
    """The success answers of an audio route: the MP3 (whole or a range) or a redirect."""
    return {
        200: ResponseSpec(
            data_container=bytes,
            media_type="audio/mpeg",
            description="The whole MP3",
            generate_examples=False,
        ),
        206: ResponseSpec(
            data_container=bytes,
            media_type="audio/mpeg",
            generate_examples=False,
            description="The bytes of the Range asked for (Content-Range says which)",
        ),
        307: ResponseSpec(
            data_container=None,
            generate_examples=False,
            description="Fetch the audio from the pre-signed URL in Location (S3 storage)",
        ),
    }


ASSETS = "/docs/assets"
# The security requirement of every route that needs a caller (public routes have none).
AUTHENTICATED: list[dict[str, list[str]]] = [{"BearerToken": []}, {"ApiKey": []}]


def docs_assets_router() -> Any:
    """Swagger UI 5's files, from the swagger-ui-bundle-v2 wheel: the docs need no internet."""
    return create_static_files_router(
        path=ASSETS,
        directories=[swagger_ui_path],
        include_in_schema=False,
        name="docs-assets",
    )


def _example(code: str) -> Example:
    message = _MESSAGES.get(code, "what went wrong")
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
    )
