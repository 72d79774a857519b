"""The MARC language code to ISO 639-1 table of the Open Library adapter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.openlibrary.languages import MARC_TO_ISO639_1, marc_to_iso639_1


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("eng", "en"),
        ("/languages/eng", "en"),
        ("/languages/fre", "fr"),
        ("fra", "fr"),
        ("ger", "de"),
        ("spa", "es"),
        ("chi", "zh"),
        ("jpn", "ja"),
        ("dut", "nl"),
        ("ENG", "en"),
    ],
)
def test_maps_marc_codes_and_open_library_keys(code: str, expected: str) -> None:
    assert marc_to_iso639_1(code) == expected


@pytest.mark.parametrize("code", [None, "", "/languages/", "grc", "und", "mul", "xxx"])
def test_codes_without_a_two_letter_language_give_none(code: str | None) -> None:
    assert marc_to_iso639_1(code) is None


def test_the_table_maps_three_letter_codes_to_two_letter_codes() -> None:
    for marc, iso in MARC_TO_ISO639_1.items():
        assert len(marc) == 3 and marc.isalpha() and marc.islower()
        assert len(iso) == 2 and iso.isalpha() and iso.islower()


@given(st.sampled_from(sorted(MARC_TO_ISO639_1)))
def test_key_form_and_bare_code_agree(code: str) -> None:
    assert marc_to_iso639_1(f"/languages/{code}") == marc_to_iso639_1(code)
