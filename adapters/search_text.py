"""Text helpers the search adapters share: query terms, and "one typo away"."""

from __future__ import annotations

import re

from domain.community import fold

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 12


def terms(text: str) -> list[str]:
    """The words of a query or a document, folded (lower-case, no accents), operators,
    quotes and punctuation dropped: ``'"Les Misérables" AND (hugo)'`` -> les, miserables,
    and, hugo. Boolean words stay as ordinary words; matching ignores them when absent."""
    return _WORD.findall(fold(text))[:MAX_TERMS]


OPERATORS = frozenset({"and", "or", "not"})


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` with at most one insertion, deletion, substitution
    or swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def close_words(term: str, vocabulary: list[str]) -> list[str]:
    """Words of ``vocabulary`` one edit from ``term`` (terms shorter than 4 letters: none)."""
    if len(term) < 4:
        return []
    return [word for word in vocabulary if word != term and within_one_edit(term, word)]
