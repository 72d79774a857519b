"""Edition grouping rules, chapter completeness, email and password rules."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.book import Book, BookIsbn, Edition
from domain.chapter import Chapter
from domain.errors import InvalidEmail, WeakPassword
from domain.isbn import Isbn, IsbnType
from domain.user import check_password, normalize_email

NOW = datetime(2026, 1, 1, tzinfo=UTC)
ISBN = Isbn.parse("9780306406157")


def edition(title: str, published: date | None) -> Edition:
    return Edition(isbn=ISBN, title=title, authors=("A", "B"), publish_date=published)


def test_a_book_keeps_the_latest_editions_metadata() -> None:
    book = Book.from_edition(uuid.uuid4(), edition("First", date(2001, 1, 1)), NOW)
    newer = book.with_edition(edition("Second", date(2010, 5, 1)), NOW)
    assert newer.title == "Second"
    assert newer.author == "A, B"
    older = newer.with_edition(edition("Zeroth", date(1990, 1, 1)), NOW)
    assert older.title == "Second"
    undated = newer.with_edition(edition("Undated", None), NOW)
    assert undated.title == "Second"


def test_both_forms_of_an_isbn_point_at_the_book() -> None:
    book_id = uuid.uuid4()
    rows = BookIsbn.all_for(book_id, ISBN)
    assert {(r.isbn, r.isbn_type) for r in rows} == {
        ("9780306406157", IsbnType.ISBN13),
        ("0306406152", IsbnType.ISBN10),
    }
    assert BookIsbn.all_for(book_id, Isbn.parse("9791090636071"))[0].isbn_type is IsbnType.ISBN13


def test_a_chapter_counts_the_words_of_its_summary() -> None:
    chapter = Chapter(uuid.uuid4(), uuid.uuid4(), 1, "One", NOW, NOW)
    summarised = chapter.with_summary("three little words", NOW)
    assert (chapter.word_count, summarised.word_count) == (0, 3)
    assert summarised.summary == "three little words"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        (" Ada@Example.COM ", "ada@example.com"),
        ("\uff4a\uff4f\uff45@example.com", "joe@example.com"),
    ],
)
def test_emails_are_normalised(raw: str, normal: str) -> None:
    assert normalize_email(raw) == normal


@pytest.mark.parametrize("raw", ["", "no-at-sign", "@example.com", "a@", "a@localhost", "a b@c.de"])
def test_unusable_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        normalize_email(raw)


@given(st.text(min_size=8, max_size=128).filter(lambda s: s.strip()))
def test_passwords_within_the_policy_pass(password: str) -> None:
    check_password(password)


@pytest.mark.parametrize("password", ["short", " " * 12, "x" * 129])
def test_passwords_outside_the_policy_are_weak(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_password(password)
