"""Community rules: names, review text, ratings, genres from subjects, aggregates."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.community import (
    MAX_REVIEW_LENGTH,
    BookRating,
    Profile,
    check_rating,
    clean_review_text,
    fold,
    genre_ids_for,
    strip_html,
)
from domain.errors import ValidationFailed

T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<b>Great</b> book", "Great book"),
        ("a <script>alert(1)</script>b", "a b"),
        ("<style>p{}</style>text", "text"),
        ("&lt;i&gt;sneaky&lt;/i&gt;", "sneaky"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("  spaced   out \n\n\n\n next  ", "spaced out\n\nnext"),
    ],
)
def test_review_text_is_cleaned(raw: str, clean: str) -> None:
    assert clean_review_text(raw) == clean


def test_review_text_is_length_limited_after_cleaning() -> None:
    assert len(clean_review_text("<b>" + "x" * MAX_REVIEW_LENGTH + "</b>")) == MAX_REVIEW_LENGTH
    with pytest.raises(ValidationFailed):
        clean_review_text("x" * (MAX_REVIEW_LENGTH + 1))


TAG = re.compile(r"<[a-zA-Z/][^<>]*>")


PIECES = ["<b>", "</b>", "<a href='x'>", "&lt;i&gt;", "<", ">", "&amp;", "word", " ",
          "<script>", "</script>", "é"]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_stripped_text_has_no_tags_left(parts: list[str]) -> None:
    assert TAG.search(strip_html("".join(parts))) is None


@pytest.mark.parametrize("rating", [0, 6, -1, True, 4.5, "5"])
def test_ratings_are_whole_numbers_from_one_to_five(rating: object) -> None:
    with pytest.raises(ValidationFailed):
        check_rating(rating)  # type: ignore[arg-type]


def test_profile_names_are_trimmed_and_limited() -> None:
    user = uuid.uuid4()
    assert Profile.create(user, "  Ada  ", "<i>Lovelace</i>", T0).last_name == "Lovelace"
    with pytest.raises(ValidationFailed):
        Profile.create(user, "x" * 101, "", T0)


def test_subjects_map_onto_the_curated_genres() -> None:
    assert genre_ids_for(["Fiction / Fantasy / Epic"]) == ("fantasy", "fiction")
    assert genre_ids_for(["Artificial intelligence"]) == ()
    assert genre_ids_for(["Detective and mystery stories", "Crime"]) == ("mystery",)
    assert genre_ids_for(["SCIENCE FICTION", "Space opera"]) == ("science-fiction",)
    assert genre_ids_for(["Science", "Fiction"]) == ("science", "fiction")
    assert genre_ids_for(["Biographie", "Histoire"]) == ()
    assert genre_ids_for([]) == ()


def test_fold_removes_case_and_accents() -> None:
    assert fold("Les Misérables ÉMILE Ærø") == "les miserables emile ærø"


def test_average_is_rounded_half_up_to_two_decimals() -> None:
    book = uuid.uuid4()
    assert BookRating(book).average_rating == Decimal("0.00")
    assert BookRating(book, 3, 13).average_rating == Decimal("4.33")
    assert BookRating(book, 8, 37).average_rating == Decimal("4.63")  # 4.625 -> 4.63


def test_one_perfect_rating_does_not_beat_fifty_averaging_4_6() -> None:
    book = uuid.uuid4()
    one = BookRating(book, 1, 5)
    fifty = BookRating(book, 50, 230)
    assert one.average_rating > fifty.average_rating
    assert fifty.score > one.score
