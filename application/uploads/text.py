"""Chapter text cut for engines and models: at sentence ends, never mid-word when avoidable."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?;:\u2026\u3002\uff01\uff1f])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+|\n\s*\n"
)


def split_sentences(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after sentences (else at
    spaces, else anywhere); whitespace runs become single spaces. Deterministic: the same
    text and limit always give the same pieces (a resumed narration relies on it)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        for word in sentence.split(" "):
            pieces.extend(word[i : i + limit] for i in range(0, len(word), limit))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 1 + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


__all__ = ["split_sentences"]
