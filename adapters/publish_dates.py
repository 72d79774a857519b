"""Free-text publication dates ("2019", "2004-09", "August 31, 2010") to ``datetime.date``.

Metadata sources write dates by hand. A partial date becomes the first of its month or year;
text with no recognisable year gives None. Never raises.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

# Whole-text shapes, most specific first; the text is lower-cased and stripped first.
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"^{_YEAR}(?:[-/.](?P<num_month>\d{{1,2}})(?:[-/.]{_DAY})?)?$",  # 2004, 2004-09-01
        rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$",  # August 31, 2010 / Aug. 31 2010
        rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$",  # 31 August 2010
        rf"^{_MONTH},?\s+{_YEAR}$",  # August 2010
    )
)
_ANY_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


def _build(year: int, month: int | None, day: int | None) -> date | None:
    """The most precise valid date: drop a bad day, then a bad month."""
    for m, d in ((month, day), (month, None), (None, None)):
        try:
            return date(year, m or 1, d or 1)
        except ValueError:
            continue
    return None


def parse_publish_date(text: str | None) -> date | None:
    """Parse a free-text publication date; partial dates fall on the 1st; None if hopeless.

    Whole-text forms: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (also ``/`` or ``.``),
    ``Month D, YYYY``, ``D Month YYYY``, ``Month YYYY`` (full or abbreviated month names).
    Anything else falls back to the first plausible year in the text ("c1999", "[1987?]").
    """
    if not text:
        return None
    cleaned = " ".join(text.lower().split()).strip(" .,;[]()")
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        fields = match.groupdict()
        if fields.get("month") is not None:
            month: int | None = _MONTHS.get(fields["month"])
            if month is None:
                continue  # not a month name after all
        else:
            month = int(fields["num_month"]) if fields.get("num_month") else None
        day = int(fields["day"]) if fields.get("day") else None
        return _build(int(fields["year"]), month, day)
    year = _ANY_YEAR.search(cleaned)
    return _build(int(year.group(1)), None, None) if year else None
