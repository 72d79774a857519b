"""What a request body must be before a handler reads it.

- A route that takes a JSON body answers 415 ``unsupported_media_type`` unless the request
  says ``Content-Type: application/json`` (or ``…+json``): a JSON body sent as text/plain
  or as a form is not guessed at.
- A body nested too deeply to decode, or not UTF-8, is 400 ``malformed_json`` (the decoder's
  RecursionError and UnicodeDecodeError would otherwise be 500s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException

from entrypoints.http.errors import error_response

if TYPE_CHECKING:
    from litestar import Request, Response

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class UnsupportedMediaType(HTTPException):
    """415: the body is not in the media type the route reads."""

    status_code = 415


def _takes_json(request: Request[Any, Any, Any]) -> bool:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return media_type in (None, RequestEncodingType.JSON)


async def require_json_body(request: Request[Any, Any, Any]) -> None:
    """before_request hook: refuse a JSON route's body sent with another Content-Type."""
    if request.method not in _WITH_BODY or not _takes_json(request):
        return
    sends_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    if not sends_body:
        return  # no body at all: the route says what is missing (400/422)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    ):
        return
    shown = media or "none"
    raise UnsupportedMediaType(
        detail=f"send the body as JSON with 'Content-Type: application/json' (got {shown})"
    )


def handle_undecodable_body(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """RecursionError / UnicodeDecodeError while decoding the body: 400 malformed_json."""
    reason = "it is not UTF-8" if isinstance(exc, UnicodeDecodeError) else "it is nested too deeply"
    return error_response(
        request, 400, "malformed_json", f"the request body is not valid JSON: {reason}"
    )


BODY_EXCEPTION_HANDLERS = {
    RecursionError: handle_undecodable_body,
    UnicodeDecodeError: handle_undecodable_body,
}

__all__ = ["BODY_EXCEPTION_HANDLERS", "UnsupportedMediaType", "require_json_body"]
