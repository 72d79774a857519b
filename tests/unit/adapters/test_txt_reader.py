"""The plain-text reader on small hand-made books (real ones: benchmarks/)."""

from __future__ import annotations

import pytest

from adapters.bookfiles.txt import read_txt
from domain.errors import NoText, UnreadableFile

PARAGRAPH = (
    "It was a dark and stormy night; the rain fell in torrents, except at occasional "
    "intervals, when it was checked by a violent gust of wind which swept up the streets."
)


def body(n: int = 2) -> str:
    return "\n\n".join(f"{PARAGRAPH} ({i})" for i in range(n))


GUTENBERG = f"""The Project Gutenberg eBook of A Small Carol, by Charles Dickens

This eBook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions.

Title: A Small Carol
       A Ghost Story

Author: Charles Dickens

Language: English

*** START OF THE PROJECT GUTENBERG EBOOK A SMALL CAROL ***

Produced by Someone Kind

A SMALL CAROL

CONTENTS

Stave   I: Marley's Ghost
Stave  II: The First of the Three Spirits

STAVE I:  MARLEY'S GHOST

MARLEY was dead: to begin with.
{body()}

STAVE II:  THE FIRST OF THE THREE SPIRITS

WHEN Scrooge awoke, it was so dark.
{body()}

THE END

*** END OF THE PROJECT GUTENBERG EBOOK A SMALL CAROL ***

Updated editions will replace the previous one. START: FULL LICENSE
THE FULL PROJECT GUTENBERG LICENSE
Section 1. General Terms of Use and Redistributing Project Gutenberg-tm
{body(3)}
"""


def titles(text: str) -> list[str]:
    return [c.title for c in read_txt(text.encode()).chapters]


def test_gutenberg_boilerplate_and_licence_are_removed_and_metadata_read() -> None:
    book = read_txt(GUTENBERG.encode())
    assert (book.title, book.author, book.language) == ("A Small Carol", "Charles Dickens", "en")
    assert [c.title for c in book.chapters] == [
        "Stave I: Marley's Ghost",
        "Stave II: The First of the Three Spirits",
    ]
    assert book.chapters[0].text.startswith("MARLEY was dead: to begin with.")
    everything = " ".join(c.text for c in book.chapters)
    assert "Gutenberg" not in everything and "LICENSE" not in everything
    assert "Produced by" not in everything and "CONTENTS" not in everything
    assert not book.chapters[1].text.endswith("THE END")


def test_a_double_spaced_contents_list_is_not_taken_for_chapters() -> None:
    text = f"""My Book

Contents

CHAPTER I. The Beginning

CHAPTER II. The End

CHAPTER I. The Beginning

{body()}

CHAPTER II. The End

{body()}
"""
    assert titles(text) == ["Chapter I: The Beginning", "Chapter II: The End"]


def test_a_title_line_under_a_bare_chapter_number_joins_the_title() -> None:
    text = f"CHAPTER I\n\nJONATHAN HARKER'S JOURNAL\n\n{body()}\n\nCHAPTER II\n\n{body()}"
    book = read_txt(text.encode())
    assert [c.title for c in book.chapters] == [
        "Chapter I: Jonathan Harker's Journal",
        "Chapter II",
    ]
    assert book.chapters[0].text.startswith("It was a dark")


def test_roman_numeral_titles_win_over_bare_numbered_sections_inside_them() -> None:
    text = (
        f"I. A SCANDAL IN BOHEMIA\n\n\nI.\n\n{body()}\n\nII.\n\n{body()}\n\n"
        f"II. THE RED-HEADED LEAGUE\n\n{body()}\n\nIII. A CASE OF IDENTITY\n\n{body()}"
    )
    assert titles(text) == [
        "I. A Scandal in Bohemia",
        "II. The Red-Headed League",
        "III. A Case of Identity",
    ]


def test_book_headings_name_the_chapter_that_opens_them() -> None:
    text = (
        f"BOOK THE FIRST--RECALLED TO LIFE\n\nCHAPTER I. The Period\n\n{body()}\n\n"
        f"CHAPTER II. The Mail\n\n{body()}\n\nBOOK THE SECOND--THE GOLDEN THREAD\n\n"
        f"CHAPTER I. Five Years Later\n\n{body()}"
    )
    book = read_txt(text.encode())
    assert [c.title for c in book.chapters] == [
        "Book the First: Recalled to Life \u2013 Chapter I: The Period",
        "Chapter II: The Mail",
        "Book the Second: The Golden Thread \u2013 Chapter I: Five Years Later",
    ]
    assert "GOLDEN" not in book.chapters[1].text


def test_all_caps_headings_when_nothing_else_marks_chapters() -> None:
    text = f"THE ARRIVAL\n\n{body()}\n\nTHE STORM\n\n{body()}\n\nTHE DEPARTURE\n\n{body()}"
    assert titles(text) == ["The Arrival", "The Storm", "The Departure"]


def test_epilogue_and_appendix_are_chapters_but_notes_are_not_read() -> None:
    text = (
        f"CHAPTER 1\n\n{body()}\n\nCHAPTER 2\n\n{body()}\n\nEPILOGUE\n\n{body()}"
        f"\n\nNOTES\n\n[1] A footnote that should not be read aloud."
    )
    book = read_txt(text.encode())
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Epilogue"]
    assert "footnote" not in " ".join(c.text for c in book.chapters)


def test_text_without_headings_is_one_chapter_or_parts_when_long() -> None:
    short = read_txt(f"A Short Piece\n\n{body(3)}".encode())
    assert [c.title for c in short.chapters] == ["A Short Piece"]
    long = read_txt(f"A Long Piece\n\n{body(400)}".encode())
    assert [c.title for c in long.chapters][:2] == ["Part 1", "Part 2"]
    assert all(2500 <= c.words <= 3500 for c in long.chapters[:-1])


def test_hard_line_breaks_and_italics_marks_are_unwrapped() -> None:
    text = f"CHAPTER I\n\nOne line\nbroken _here_ and\nthere.\n\n{body()}\n\nCHAPTER II\n\n{body()}"
    assert read_txt(text.encode()).chapters[0].text.startswith("One line broken here and there.")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (f"A Title\n\nCaf\u00e9 cr\u00e8me. {PARAGRAPH}".encode("cp1252"), "Caf\u00e9 cr\u00e8me."),
        (f"\ufeffA Title\n\nNa\u00efve. {PARAGRAPH}".encode("utf-16"), "Na\u00efve."),
        (f"A Title\n\nThe \ufb01sh \ufb02ew. {PARAGRAPH}".encode(), "The fish flew."),
    ],
)
def test_encodings_and_ligatures(data: bytes, expected: str) -> None:
    assert read_txt(data).chapters[0].text.startswith(expected)


def test_binary_and_empty_files_are_refused() -> None:
    with pytest.raises(UnreadableFile):
        read_txt(b"\x00\x01\x02binary")
    with pytest.raises(NoText):
        read_txt(b"\n\n   \n")
