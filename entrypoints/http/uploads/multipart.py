"""A multipart/form-data request read as it arrives: the ``file`` part's bytes are handed
on chunk by chunk (never held whole), the other fields are small and collected."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar.exceptions import ClientException
from multipart import MultipartSegment, ParserError, PushMultipartParser, parse_options_header

from domain.errors import ValidationFailed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from litestar import Request

FILE_FIELD = "file"
MAX_FIELD_BYTES = 4096
MAX_PARTS = 16


class UploadForm:
    """One multipart request: ``file_chunks()`` streams the file; after it is consumed,
    ``fields`` holds the other form fields and ``filename`` the file's name."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        kind, options = parse_options_header(request.headers.get("content-type", ""))
        if kind != "multipart/form-data" or not options.get("boundary"):
            raise ClientException(
                "send the book as multipart/form-data with the file in a field named 'file'",
                status_code=415,
            )
        self._request = request
        self._boundary = options["boundary"]
        self.fields: dict[str, str] = {}
        self.filename = ""
        self.found_file = False

    async def file_chunks(self) -> AsyncIterator[bytes]:
        """The bytes of the ``file`` part as they arrive. Raises ValidationFailed for a
        malformed body, a body with no ``file`` part, or oversized fields."""
        parser = PushMultipartParser(
            self._boundary, max_header_size=8192, max_segment_count=MAX_PARTS, strict=True
        )
        segment: MultipartSegment | None = None
        value = bytearray()
        try:
            async for data in self._request.stream():
                for event in parser.parse(data):
                    if isinstance(event, MultipartSegment):
                        segment, value = event, bytearray()
                        if self._is_file(segment):
                            if self.found_file:
                                raise ValidationFailed("send one file per request")
                            self.found_file = True
                            self.filename = segment.filename or ""
                    elif event is None:
                        if segment is not None and not self._is_file(segment):
                            self.fields[segment.name] = value.decode("utf-8", "replace")
                        segment = None
                    elif segment is not None and self._is_file(segment):
                        yield bytes(event)
                    else:
                        value += event
                        if len(value) > MAX_FIELD_BYTES:
                            raise ValidationFailed(
                                f"form field {segment and segment.name!r} "
                                f"is longer than {MAX_FIELD_BYTES} bytes"
                            )
            parser.close()
        except ParserError as error:
            raise ValidationFailed(f"the multipart body is malformed: {error}") from None
        if not self.found_file:
            raise ValidationFailed("send the book in a multipart field named 'file'")

    @staticmethod
    def _is_file(segment: MultipartSegment) -> bool:
        return segment.name == FILE_FIELD and segment.filename is not None
