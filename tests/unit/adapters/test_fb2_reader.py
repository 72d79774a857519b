"""The FB2 reader on small hand-made books, plain and zipped (real ones: test_real_books.py)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.fb2 import read_fb2
from domain.errors import FileTooLarge, NoText, UnreadableFile
from tests.support.books import COVER, entity_bomb, fb2, fb2_paragraphs, zipped

if TYPE_CHECKING:
    from pathlib import Path

    from application.uploads.ports import ExtractedBook

GIB = 1024**3
BOOK = fb2(
    "<title><p>A Hand-Made Book</p></title>"
    "<section><title><p>Contents</p></title><p>Part One ... 1</p><p>Chapter 1 ... 2</p></section>"
    "<section><title><p>Part One</p><p>Beginnings</p></title><epigraph><p>Begin.</p></epigraph>"
    "<section><title><p>Chapter 1</p></title>"
    + fb2_paragraphs(2, "ONE")
    + '<p>A note<a l:href="#n1" type="note">[1]</a> and a picture <image l:href="#pic"/> then '
    "<emphasis>more</emphasis> words.</p></section>"
    "<section><title><p>Chapter 2.</p><p>The Second</p></title>"
    + fb2_paragraphs(2, "TWO")
    + "<poem><stanza><v>A line of verse,</v><v>and another.</v></stanza></poem></section></section>"
    "<section><title><p>Chapter 3</p></title><subtitle>* * *</subtitle>"
    + fb2_paragraphs(3, "THREE")
    + "</section>",
    notes='<section id="n1"><title><p>1</p></title><p>NOTE text of the footnote.</p></section>',
    binaries=(
        f'<binary id="cover.jpg" content-type="image/jpeg">{base64.b64encode(COVER).decode()}'
        '</binary><binary id="pic" content-type="image/png">iVBORw0KGgo=</binary>'
    ),
    cover="cover.jpg",
)


def read(
    tmp_path: Path, data: str | bytes, max_total: int = GIB, name: str = "book.fb2"
) -> ExtractedBook:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return read_fb2(str(path), max_total, 100)


def test_sections_are_chapters_in_order_with_their_titles(tmp_path: Path) -> None:
    book = read(tmp_path, BOOK)
    assert (book.title, book.author, book.language) == ("A Hand-Made Book", "Ada Writer", "en")
    assert (book.cover, book.cover_type) == (COVER, "image/jpeg")
    assert [c.title for c in book.chapters] == [
        "Part One: Beginnings \u2013 Chapter 1",
        "Chapter 2. The Second",
        "Chapter 3",
    ]


def test_the_text_keeps_what_follows_notes_and_images_but_not_the_notes(tmp_path: Path) -> None:
    first, second, third = read(tmp_path, BOOK).chapters
    assert first.text.startswith("Part One\n\nBeginnings\n\nBegin.\n\nChapter 1\n\nONE")
    assert "A note and a picture then more words." in first.text
    assert "A line of verse,\n\nand another." in second.text
    assert third.text.startswith("Chapter 3\n\n* * *\n\nTHREE")
    everything = " ".join(c.text for c in (first, second, third))
    assert "NOTE" not in everything and "[1]" not in everything
    assert "Chapter 1 ... 2" not in everything  # the contents section is skipped


def test_a_zipped_book_reads_the_same(tmp_path: Path) -> None:
    data = zipped({"A Hand-Made Book.fb2": BOOK})
    assert read(tmp_path, data, name="book.fb2.zip") == read(tmp_path, BOOK)


def test_untitled_sections_before_the_first_titled_one_are_front_matter(tmp_path: Path) -> None:
    body = (
        "<section>" + fb2_paragraphs(3, "IMPRINT") + "</section>"
        "<section><title><p>I</p></title>" + fb2_paragraphs(2, "ONE") + "</section>"
        "<section>" + fb2_paragraphs(2, "TWO") + "</section>"
        "<p>LOOSE text outside any section.</p>"
    )
    book = read(tmp_path, fb2(body))
    assert [c.title for c in book.chapters] == ["I", "Chapter 2"]
    everything = " ".join(c.text for c in book.chapters)
    assert "IMPRINT" not in everything and "LOOSE" not in everything


def test_a_bold_first_line_titles_an_untitled_section_as_calibre_writes_them(
    tmp_path: Path,
) -> None:
    body = (
        "<section><p><strong>A Hand-Made Book</strong></p></section>"
        "<section><empty-line/><p><strong>Stave I</strong></p><p>Marley\u2019s Ghost</p>"
        + fb2_paragraphs(2)
        + "</section><section><p><strong>Stave II</strong></p>"
        + fb2_paragraphs(2)
        + "</section>"
    )
    book = read(tmp_path, fb2(body))
    assert [c.title for c in book.chapters] == ["Stave I: Marley\u2019s Ghost", "Stave II"]


def test_a_book_without_sections_is_one_chapter(tmp_path: Path) -> None:
    book = read(tmp_path, fb2(fb2_paragraphs(3)))
    assert [c.title for c in book.chapters] == ["A Hand-Made Book"]


def test_entities_are_not_expanded_and_an_entity_bomb_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    external = f'<!DOCTYPE FictionBook [<!ENTITY x SYSTEM "file://{secret}">]>'
    section = f"<section><p>Before &x;&nbsp;after.</p>{fb2_paragraphs(2)}</section>"
    text = read(tmp_path, fb2(section, prolog=external)).chapters[0].text
    assert text.startswith("Before after.") and "TOP-SECRET" not in text
    with pytest.raises(UnreadableFile, match="XML bomb"):
        read(tmp_path, fb2(section.replace("&x;", "&lol9;"), prolog=entity_bomb("FictionBook")))


@pytest.mark.parametrize(
    "files",
    [
        {"a.fb2": BOOK, "b.fb2": BOOK},  # which one?
        {"notes.txt": "no book here"},
    ],
)
def test_a_zip_must_hold_exactly_one_fb2(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    with pytest.raises(UnreadableFile, match="FB2 books, not one"):
        read(tmp_path, zipped(files))


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    data = zipped({"book.fb2": BOOK, "zeros.bin": bytes(20 * 1024 * 1024)})
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read(tmp_path, data)
    with pytest.raises(FileTooLarge):
        read(tmp_path, zipped({"book.fb2": BOOK}), max_total=len(BOOK) // 2)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (BOOK[: len(BOOK) // 2], UnreadableFile),  # cut short
        (zipped({"book.fb2": BOOK})[:-100], UnreadableFile),  # a broken zip
        ("<?xml version='1.0'?><html><body>FictionBook></body></html>", UnreadableFile),
        ("\x00\x01 not xml FictionBook>", UnreadableFile),
        (fb2("").replace("<body></body>", ""), NoText),
        (fb2("<section><empty-line/></section>"), NoText),
        (fb2('<section><image l:href="#scan"/></section>'), NoText),
    ],
)
def test_refused_books(tmp_path: Path, data: str | bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read(tmp_path, data)


def test_a_book_in_a_declared_8_bit_encoding(tmp_path: Path) -> None:
    text = "\u0413\u043b\u0430\u0432\u0430 \u043f\u0435\u0440\u0432\u0430\u044f. " * 12
    book = fb2(
        f"<section><title><p>\u0413\u043b\u0430\u0432\u0430 1</p></title><p>{text}</p></section>"
    )
    data = book.replace('encoding="utf-8"', 'encoding="windows-1251"').encode("cp1251")
    chapter = read(tmp_path, data).chapters[0]
    assert (chapter.title, chapter.text) == (
        "\u0413\u043b\u0430\u0432\u0430 1",
        f"\u0413\u043b\u0430\u0432\u0430 1\n\n{text.strip()}",
    )
