"""SSML helpers: book text is escaped before any tag, and chunks fit after escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.ssml import escape_text, prosody, speak, split_escaped

TEXT = st.lists(
    st.sampled_from([*"ab &<>\"'.\n é€\x01", "word ", "</speak>", "&amp;"]),
    min_size=1,
    max_size=600,
).map("".join)


def utf8(text: str) -> int:
    return len(text.encode())


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(min_value=40, max_value=400))
def test_every_chunk_fits_after_escaping_and_parses_back_to_the_words(
    text: str, limit: int
) -> None:
    overhead = len(speak(prosody("", "100%")))
    chunks = split_escaped(text, limit + overhead, size=utf8, overhead=overhead)

    spoken: list[str] = []
    for chunk in chunks:
        document = speak(prosody(chunk, "100%"))
        assert utf8(document) <= limit + overhead
        root = ET.fromstring(document)  # noqa: S314 - well-formed is what is tested
        spoken.append("".join(root.itertext()))
    kept = "".join(c for c in text if c >= " " or c in "\n\t")
    assert "".join(" ".join(spoken).split()) == "".join(kept.split())


def test_markup_in_book_text_stays_text() -> None:
    document = speak(prosody(escape_text('</prosody><break time="9s"/> & more'), "150%"))

    root = ET.fromstring(document)  # noqa: S314

    assert [e.tag for e in root.iter()] == ["speak", "prosody"]
    assert "".join(root.itertext()) == '</prosody><break time="9s"/> & more'
