"""Chapter titles from headings (outline.py), shared by the HTML, FB2 and DOCX readers."""

from __future__ import annotations

import pytest

from adapters.bookfiles.outline import is_label, same_title, tidy_title, with_subtitle


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("CHAPTER I. Down the Rabbit-Hole", "Chapter I. Down the Rabbit-Hole"),
        ("MARLEY'S GHOST", "Marley's Ghost"),
        ("PREFACE.", "Preface"),
        ("CHAPTERXXVII.", "Chapter XXVII"),  # a typo in a real book
        ("Partition", "Partition"),
        ("And so on...", "And so on..."),
        ("  Stave\n   I  ", "Stave I"),
    ],
)
def test_tidy_title(heading: str, title: str) -> None:
    assert tidy_title(heading) == title


@pytest.mark.parametrize(
    ("heading", "line", "title"),
    [
        ("Stave I", "Marley\u2019s Ghost", "Stave I: Marley\u2019s Ghost"),
        ("Chapter 3.", "The Flight", "Chapter 3: The Flight"),
        ("Kapitel 2", "Der Anfang", "Kapitel 2: Der Anfang"),
        ("Book the First", "Recalled to Life", "Book the First: Recalled to Life"),
        ("Stave I", "Marley was dead, to begin with.", "Stave I"),  # a sentence
        ("Stave I", "* * *", "Stave I"),  # an ornament
        ("Stave I", "\u201cBah!\u201d said Scrooge", "Stave I"),  # dialogue
        ("Stave I", "Stave II", "Stave I"),
        ("Stave I", "one two three four five six seven eight nine ten eleven", "Stave I"),
        ("Marley's Ghost", "The Ghost", "Marley's Ghost"),  # a title already
    ],
)
def test_with_subtitle(heading: str, line: str, title: str) -> None:
    assert with_subtitle(heading, line) == title


@pytest.mark.parametrize(
    ("text", "label"),
    [("IV", True), ("Chapter 12", True), ("Part One", True), ("Preface", False), ("A Tale", False)],
)
def test_is_label(text: str, label: bool) -> None:
    assert is_label(text) is label


def test_same_title_ignores_case_quotes_and_punctuation() -> None:
    assert same_title("Alice\u2019s Adventures in Wonderland", "ALICE'S ADVENTURES IN WONDERLAND.")
    assert not same_title("Alice", "Alice in Wonderland")
    assert not same_title("", "")
