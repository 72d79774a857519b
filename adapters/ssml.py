"""SSML built safely: book text is XML-escaped before it goes between tags, and chunks are
measured after escaping (``&`` becomes five characters), so a request never exceeds an
engine's limit however much markup-like text a book holds."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from adapters.mp3_join import split_text

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["escape_text", "prosody", "speak", "split_escaped"]

_ENTITIES = {'"': "&quot;", "'": "&apos;"}


def escape_text(text: str) -> str:
    """``text`` safe between SSML tags: ``& < > " '`` escaped, control characters dropped."""
    cleaned = "".join(c for c in text if c >= " " or c in "\n\t")
    return escape(cleaned, _ENTITIES)


def split_escaped(
    text: str, limit: int, *, size: Callable[[str], int] = len, overhead: int = 0
) -> list[str]:
    """``text`` escaped and split so each escaped chunk plus ``overhead`` fits ``limit``.

    ``size`` measures a chunk (``len`` for characters; UTF-8 bytes for Google). Chunks end at
    sentence ends where possible, as ``split_text`` cuts them; a chunk that still measures too
    much after escaping is cut again, smaller, until it fits.
    """
    budget = limit - overhead
    if budget < 16:
        raise ValueError("the limit leaves no room for text")
    chunks: list[str] = []
    pending = split_text(text, budget)
    while pending:
        chunk = pending.pop(0)
        escaped = escape_text(chunk)
        if size(escaped) <= budget:
            chunks.append(escaped)
            continue
        smaller = max(1, len(chunk) * budget // (size(escaped) + 1))
        pending[:0] = split_text(chunk, smaller)
    return chunks


def prosody(escaped: str, rate: str) -> str:
    """``escaped`` text inside ``<prosody rate=...>`` (``rate`` is quoted here)."""
    return f"<prosody rate={quoteattr(rate)}>{escaped}</prosody>"


def speak(inner: str, **attributes: str) -> str:
    """A ``<speak>`` document around ``inner`` (already-safe SSML)."""
    attrs = "".join(f" {name.replace('_', ':')}={quoteattr(v)}" for name, v in attributes.items())
    return f"<speak{attrs}>{inner}</speak>"
