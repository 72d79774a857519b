"""ISBN parsing, check digits and 10<->13 conversion."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.errors import InvalidIsbn
from domain.isbn import Isbn, IsbnType, isbn10_check_digit, isbn13_check_digit

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
twelve_digits = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["978", "979"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)


def valid_isbn10(body: str) -> str:
    return body + isbn10_check_digit(body)


def valid_isbn13(body: str) -> str:
    return body + isbn13_check_digit(body)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("0-306-40615-2", "9780306406157"),
        ("978-0-306-40615-7", "9780306406157"),
        ("0 306 40615 2", "9780306406157"),
        ("080442957X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("979-10-90636-07-1", "9791090636071"),
    ],
)
def test_known_isbns_parse_to_their_canonical_form(text: str, canonical: str) -> None:
    assert Isbn.parse(text).value == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "123",
        "0-306-40615-3",
        "9780306406158",
        "97803064061",
        "X306406152",
        "97903064061X",
        "abcdefghij",
        "1234567890123",
        "030640615Y",
    ],
)
def test_invalid_isbns_are_rejected_with_invalid_isbn(text: str) -> None:
    with pytest.raises(InvalidIsbn) as caught:
        Isbn.parse(text)
    assert caught.value.code == "invalid_isbn"


@given(nine_digits)
def test_every_valid_isbn10_round_trips_through_isbn13(body: str) -> None:
    isbn10 = valid_isbn10(body)
    isbn = Isbn.parse(isbn10)
    assert isbn.isbn10 == isbn10
    assert Isbn.parse(isbn.isbn13) == isbn
    assert isbn.isbn13.startswith("978")


@given(twelve_digits)
def test_every_valid_isbn13_parses_to_itself(body: str) -> None:
    text = valid_isbn13(body)
    assert Isbn.parse(text).value == text
    if text.startswith("979"):
        assert Isbn.parse(text).isbn10 is None


@given(nine_digits, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_a_single_changed_digit_in_an_isbn10_is_always_rejected(
    body: str, position: int, delta: int
) -> None:
    text = valid_isbn10(body)
    assume(text[position] != "X")
    changed = str((int(text[position]) + delta) % 10)
    mutated = text[:position] + changed + text[position + 1 :]
    with pytest.raises(InvalidIsbn):
        Isbn.parse(mutated)


@given(twelve_digits, st.integers(min_value=3, max_value=12), st.integers(min_value=1, max_value=9))
def test_a_single_changed_digit_in_an_isbn13_is_always_rejected(
    body: str, position: int, delta: int
) -> None:
    text = valid_isbn13(body)
    changed = str((int(text[position]) + delta) % 10)
    mutated = text[:position] + changed + text[position + 1 :]
    with pytest.raises(InvalidIsbn):
        Isbn.parse(mutated)


@given(nine_digits, st.lists(st.sampled_from([" ", "-"]), min_size=0, max_size=4))
def test_spaces_and_hyphens_are_ignored(body: str, separators: list[str]) -> None:
    text = valid_isbn10(body)
    spaced = text
    for i, sep in enumerate(separators):
        cut = 1 + 2 * i
        spaced = spaced[:cut] + sep + spaced[cut:]
    assert Isbn.parse(spaced) == Isbn.parse(text)


@given(st.text(max_size=20))
def test_arbitrary_text_either_parses_or_raises_invalid_isbn(text: str) -> None:
    try:
        isbn = Isbn.parse(text)
    except InvalidIsbn:
        return
    assert len(isbn.value) == 13


def test_the_written_form_is_reported() -> None:
    assert Isbn.type_of("0-306-40615-2") is IsbnType.ISBN10
    assert Isbn.type_of("9780306406157") is IsbnType.ISBN13


# Digits that str.isdigit() accepts but that are not ISBN digits: superscripts, Arabic-Indic,
# Devanagari, fullwidth, mathematical bold.
_UNICODE_DIGITS = "²³¹٠١٢٣٤٥٦٧٨٩०१२३४५६७८९０１２３４５６７８９𝟎𝟏𝟐"


@given(
    st.integers(min_value=0, max_value=10**9 - 1),
    st.integers(min_value=0, max_value=12),
    st.sampled_from(_UNICODE_DIGITS),
)
def test_only_ascii_digits_are_isbn_digits(body: int, position: int, digit: str) -> None:
    text = valid_isbn13(f"978{body:09d}")
    assert Isbn.parse(text).value == text  # valid before the one digit is swapped
    mutated = text[:position] + digit + text[position + 1 :]
    with pytest.raises(InvalidIsbn):
        Isbn.parse(mutated)


@pytest.mark.parametrize(
    "text", ["97803064061²7", "978٠٣٠٦٤٠٦١٥7", "٠٣٠٦٤٠٦١٥٢", "０３０６４０６１５２"]
)
def test_the_audited_unicode_isbns_are_refused(text: str) -> None:
    with pytest.raises(InvalidIsbn):
        Isbn.parse(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_any_unicode_text_parses_to_ascii_or_is_refused(text: str) -> None:
    try:
        isbn = Isbn.parse(text)
    except InvalidIsbn:
        return
    assert isbn.value.isascii() and isbn.value.isdecimal()
