"""One table from errors to HTTP status codes, and the one error envelope.

Every error, from the domain, from Litestar (404/405 from the router, validation,
413) or unexpected, answers
``{"success": false, "error": {"code", "message", "request_id"[, "details"]}}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from litestar import MediaType, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from domain import errors as domain
from entrypoints.http.request_id import request_id_of

if TYPE_CHECKING:
    from litestar import Request

log = structlog.get_logger(__name__)

# Most specific class first: the first isinstance match wins.
DOMAIN_STATUS: list[tuple[type[domain.DomainError], int]] = [
    (domain.RateLimited, 429),
    (domain.TransientUpstreamError, 503),
    (domain.UpstreamError, 502),
    (domain.ValidationFailed, 422),
    (domain.NotFound, 404),
    (domain.Conflict, 409),
    (domain.AuthenticationFailed, 401),
    (domain.Forbidden, 403),
    (domain.BookUnknown, 422),
    (domain.NoChapters, 422),
    (domain.FileTooLarge, 413),
    (domain.UnsupportedFormat, 415),
    (domain.UploadRefused, 422),
]

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    *,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    """The error envelope with ``status``."""
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "request_id": request_id_of(request.scope),
    }
    if details is not None:
        body["details"] = details
    return Response(
        {"success": False, "error": body},
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def handle_domain_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Map a DomainError by the table above."""
    assert isinstance(exc, domain.DomainError)  # noqa: S101 - registered for DomainError only
    status = next((s for cls, s in DOMAIN_STATUS if isinstance(exc, cls)), 400)
    headers: dict[str, str] = {}
    if isinstance(exc, domain.RateLimited):
        headers["Retry-After"] = str(exc.retry_after_s)
    if isinstance(exc, domain.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="bookbytes"'
    return error_response(
        request, status, exc.code, exc.message, details=exc.details, headers=headers or None
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Map Litestar's HTTP exceptions (router 404/405, validation, 413, …)."""
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for HTTPException only
    status = exc.status_code
    if isinstance(exc.__cause__, SerializationException):
        return error_response(
            request, 400, "malformed_json", f"the request body is not valid JSON: {exc.detail}"
        )
    if isinstance(exc, ValidationException):
        return error_response(
            request, 422, "validation_error", "the request is invalid", details=exc.extra or None
        )
    if status >= 500:
        log.error("http exception", status=status, detail=exc.detail)
        return error_response(
            request, status, HTTP_CODES.get(status, "internal_error"), "internal error"
        )
    message = {
        404: "no such resource",
        405: f"method {request.method} is not allowed here",
        413: "the request body is too large",
    }.get(status, str(exc.detail))
    if status == 415:
        return error_response(request, 415, "unsupported_media_type", message)
    headers = dict(exc.headers or {})
    return error_response(
        request, status, HTTP_CODES.get(status, "http_error"), message, headers=headers or None
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anything else is a bug: log it with its traceback, tell the client nothing internal."""
    log.exception("unhandled error", path=request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "something went wrong on our side")


EXCEPTION_HANDLERS = {
    domain.DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
