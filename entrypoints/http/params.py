"""Query and path parameters shared by the controllers, bounded so no input can overflow a
database integer or carry a control character into a query."""

from __future__ import annotations

import re
from typing import Annotated

from litestar.params import Parameter

from domain.errors import ChapterNotFound

MAX_OFFSET = 1_000_000
MAX_CHAPTER = 100_000
NO_CONTROLS = r"^[^\x00-\x1f\x7f]*$"
_CHAPTER = re.compile(r"[1-9][0-9]{0,5}", re.ASCII)

Limit = Annotated[int, Parameter(ge=1, le=100, description="page size")]
Offset = Annotated[int, Parameter(ge=0, le=MAX_OFFSET, description="items to skip")]
Text = Annotated[str | None, Parameter(max_length=200, pattern=NO_CONTROLS)]
Language = Annotated[
    str | None,
    Parameter(min_length=2, max_length=3, pattern=r"^[A-Za-z]{2,3}$", description="ISO 639-1"),
]
ChapterNumber = Annotated[
    str,
    Parameter(
        pattern=r"^[1-9][0-9]{0,5}$",
        description="the chapter's number, from 1 (plain ASCII digits)",
    ),
]


def chapter_number(text: str) -> int:
    """The chapter number written in a path.

    Raises ChapterNotFound for anything but plain ASCII digits without a leading zero, sign
    or separator (``1_0``, ``+1``, ``01`` and other scripts' digits are refused).
    """
    if not _CHAPTER.fullmatch(text) or int(text) > MAX_CHAPTER:
        raise ChapterNotFound(f"there is no chapter {text[:20]!r}")
    return int(text)


__all__ = [
    "MAX_OFFSET",
    "NO_CONTROLS",
    "ChapterNumber",
    "Language",
    "Limit",
    "Offset",
    "Text",
    "chapter_number",
]
