"""The ISBN value object: parse ISBN-10/ISBN-13, check digits, canonical ISBN-13."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.errors import InvalidIsbn

_SEPARATORS = str.maketrans("", "", " -\u2010\u2011\u2012\u2013")
_DIGITS = frozenset("0123456789")


def _ascii_digits(text: str) -> bool:
    """True for a non-empty run of ASCII 0-9 (``str.isdigit`` also accepts "²" and "٣")."""
    return bool(text) and set(text) <= _DIGITS


class IsbnType(enum.StrEnum):
    """Which form an ISBN was written in."""

    ISBN10 = "isbn10"
    ISBN13 = "isbn13"


def isbn10_check_digit(first_nine: str) -> str:
    """Return the ISBN-10 check character ("0".."9" or "X") for nine digits."""
    total = sum((10 - i) * int(d) for i, d in enumerate(first_nine))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first_twelve: str) -> str:
    """Return the ISBN-13 check digit for twelve digits."""
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first_twelve))
    return str((10 - total % 10) % 10)


@dataclass(frozen=True, slots=True)
class Isbn:
    """A valid ISBN, always held in its canonical ISBN-13 form.

    ``Isbn.parse("0-306-40615-2") == Isbn.parse("9780306406157")``: an ISBN-10 and
    its 978 ISBN-13 are the same book.
    """

    value: str

    def __post_init__(self) -> None:
        v = self.value
        if len(v) != 13 or not _ascii_digits(v) or isbn13_check_digit(v[:12]) != v[12]:
            raise InvalidIsbn(f"{v!r} is not a canonical ISBN-13")

    @classmethod
    def parse(cls, text: str) -> Isbn:
        """Parse an ISBN-10 or ISBN-13, ignoring spaces and hyphens.

        Raises:
            InvalidIsbn: wrong length, stray characters or a bad check digit.
        """
        raw = text.translate(_SEPARATORS).upper() if isinstance(text, str) else ""
        if len(raw) == 10:
            body, check = raw[:9], raw[9]
            if not _ascii_digits(body) or not (_ascii_digits(check) or check == "X"):
                raise InvalidIsbn(f"{text!r} is not an ISBN: ISBN-10 is nine digits and 0-9 or X")
            if isbn10_check_digit(body) != check:
                raise InvalidIsbn(f"{text!r} has a wrong ISBN-10 check digit")
            twelve = "978" + body
            return cls(twelve + isbn13_check_digit(twelve))
        if len(raw) == 13:
            if not _ascii_digits(raw):
                raise InvalidIsbn(f"{text!r} is not an ISBN: ISBN-13 is thirteen digits")
            if not raw.startswith(("978", "979")):
                raise InvalidIsbn(f"{text!r} is not an ISBN: ISBN-13 starts with 978 or 979")
            if isbn13_check_digit(raw[:12]) != raw[12]:
                raise InvalidIsbn(f"{text!r} has a wrong ISBN-13 check digit")
            return cls(raw)
        raise InvalidIsbn(f"{text!r} is not an ISBN: expected 10 or 13 digits, got {len(raw)}")

    @staticmethod
    def type_of(text: str) -> IsbnType:
        """Tell whether ``text`` (already valid) was written as ISBN-10 or ISBN-13."""
        raw = text.translate(_SEPARATORS)
        return IsbnType.ISBN10 if len(raw) == 10 else IsbnType.ISBN13

    @property
    def isbn13(self) -> str:
        """The canonical 13-digit form."""
        return self.value

    @property
    def isbn10(self) -> str | None:
        """The 10-character form, or None for 979 ISBNs, which have none."""
        if not self.value.startswith("978"):
            return None
        body = self.value[3:12]
        return body + isbn10_check_digit(body)

    def __str__(self) -> str:
        return self.value
