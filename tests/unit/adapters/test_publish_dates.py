"""The free-text publication date parser."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.publish_dates import parse_publish_date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", date(2019, 1, 1)),
        ("2004-09", date(2004, 9, 1)),
        ("2004-09-17", date(2004, 9, 17)),
        ("August 31, 2010", date(2010, 8, 31)),
        ("Aug. 31 2010", date(2010, 8, 31)),
        ("Sept 2004", date(2004, 9, 1)),
        ("31 August 2010", date(2010, 8, 31)),
        ("1st May 1999", date(1999, 5, 1)),
        ("October 1988", date(1988, 10, 1)),
        ("  october   1,  1988 ", date(1988, 10, 1)),
        ("c1999", date(1999, 1, 1)),
        ("[1987?]", date(1987, 1, 1)),
        ("1999.", date(1999, 1, 1)),
        ("Spring 2001", date(2001, 1, 1)),
        ("2004-02-30", date(2004, 2, 1)),  # a bad day falls back to the month
        ("2004-13", date(2004, 1, 1)),  # a bad month falls back to the year
    ],
)
def test_parses_the_forms_metadata_sources_write(text: str, expected: date) -> None:
    assert parse_publish_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "unknown", "n.d.", "12345", "19th century"])
def test_gives_none_when_there_is_no_year(text: str | None) -> None:
    assert parse_publish_date(text) is None


@given(st.dates(min_value=date(1000, 1, 1)))
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_publish_date(day.isoformat()) == day


@given(st.dates(min_value=date(1000, 1, 1)), st.booleans())
def test_written_out_dates_parse(day: date, abbreviated: bool) -> None:
    month = MONTHS[day.month - 1]
    month = month[:3] if abbreviated else month
    assert parse_publish_date(f"{month} {day.day}, {day.year}") == day
    assert parse_publish_date(f"{day.day} {month} {day.year}") == day
    assert parse_publish_date(f"{month} {day.year}") == day.replace(day=1)


@given(st.text())
def test_never_raises(text: str) -> None:
    result = parse_publish_date(text)
    assert result is None or isinstance(result, date)
