"""HTTP Range (single byte range) parsing for audio downloads."""

from __future__ import annotations

import re

from litestar.exceptions import HTTPException

_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$", re.ASCII)
_MAX_DIGITS = 18  # 10**18 bytes is beyond any file; longer numbers are not parsed at all


class RangeNotSatisfiable(HTTPException):
    """416, with the Content-Range the RFC asks for."""

    status_code = 416

    def __init__(self, size: int) -> None:
        super().__init__(
            detail="the requested range is outside the audio",
            headers={"Content-Range": f"bytes */{size}"},
        )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive for a ``Range`` header, or None to send everything.

    Multiple ranges or other units are ignored (the whole file is sent, as RFC 9110
    allows). Raises RangeNotSatisfiable for a range outside ``size``.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if len(first) > _MAX_DIGITS:
        raise RangeNotSatisfiable(size)
    if len(last) > _MAX_DIGITS:
        last = str(10**_MAX_DIGITS)
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise RangeNotSatisfiable(size)
    return start, end
