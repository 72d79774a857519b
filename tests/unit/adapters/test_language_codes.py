"""language_code: any language name or tag a book file or Tesseract gives, as the BCP-47
primary tag (ISO 639-1 when the language has one)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.bookfiles.language_codes import ISO_639_2
from adapters.bookfiles.text import language_code


@pytest.mark.parametrize(
    ("given_tag", "expected"),
    [
        ("de-DE", "de"),  # a PDF's /Lang or an EPUB's dc:language
        ("en_GB", "en"),
        (" FR-ca ", "fr"),
        ("English", "en"),  # a Gutenberg header
        ("eng", "en"),  # ISO 639-2/T
        ("ger", "de"),  # ISO 639-2/B
        ("deu", "de"),  # Tesseract's model names
        ("chi_sim", "zh"),
        ("frk", "de"),
        ("fil", "fil"),  # no ISO 639-1 code: the three letters are the tag
        ("x-unknown", "en"),
        ("Klingonese", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_tags_names_and_codes_become_primary_tags(given_tag: str | None, expected: str) -> None:
    assert language_code(given_tag) == expected


def test_the_default_is_the_callers() -> None:
    assert language_code("x-none", default="") == ""
    assert language_code(None, default="fr") == "fr"


@given(st.sampled_from(sorted(ISO_639_2)), st.sampled_from(["", "-XX", "_vert", "-Latn"]))
def test_every_iso_639_2_code_with_any_subtag_is_two_letters(code: str, subtag: str) -> None:
    tag = language_code(code.upper() + subtag)
    assert tag == ISO_639_2[code]
    assert len(tag) == 2 and tag.isalpha()
