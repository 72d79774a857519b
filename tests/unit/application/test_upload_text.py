"""Cutting chapter text for speech engines and language models."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from application.uploads.text import split_sentences

words = st.text(alphabet="abcdefghij.!? \n", min_size=0, max_size=400)


@given(words, st.integers(min_value=1, max_value=120))
def test_pieces_fit_the_limit_and_keep_every_word(text: str, limit: int) -> None:
    pieces = split_sentences(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_pieces_end_at_sentence_ends_when_they_can() -> None:
    text = "First one. Second one! Third one? Fourth “quoted.” Fifth"
    assert split_sentences(text, 24) == [
        "First one. Second one!",
        "Third one?",
        "Fourth “quoted.” Fifth",
    ]
