"""The HTML reader on small hand-made pages (a real one: test_real_books.py)."""

from __future__ import annotations

import pytest

from adapters.bookfiles.html import person_name, read_html
from domain.errors import NoText
from tests.support.books import PARAGRAPH, entity_bomb, paragraphs


def page(body: str, head: str = "<title>A Hand-Made Book</title>", lang: str = "en") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


GUTENBERG = page(
    '<section class="pg-boilerplate pgheader" id="pg-header"><h2>The Project Gutenberg eBook '
    "of Two Chapters</h2><p>This ebook is for the use of anyone anywhere.</p></section>"
    "<h1>Two Chapters</h1><h2>by Bo Author</h2>"
    '<h2>Contents</h2><table><tr><td><a href="#c1">CHAPTER I.</a></td><td>The Start</td></tr>'
    '<tr><td><a href="#c2">CHAPTER II.</a></td><td>The End</td></tr></table>'
    '<h2><a id="c1"></a>CHAPTER I.<br/>The Start</h2>'
    + paragraphs(2, "START")
    + '<p>Before the picture <img src="i.jpg" alt="a picture"/> after the picture'
    '<a class="pginternal" href="#note1"><sup>1</sup></a>.</p>'
    '<p><span class="pagenum"><a id="page_9">{9}</a></span></p>'
    '<h2><a id="c2"></a>CHAPTER II.<br/>The End</h2>' + paragraphs(2, "END") + "<h5>THE END</h5>"
    '<section class="pg-boilerplate pgfooter" id="pg-footer"><h2>THE FULL PROJECT GUTENBERG '
    "LICENSE</h2>" + paragraphs(3, "LICENCE") + "</section>",
    head=(
        "<title>Two Chapters | Project Gutenberg</title>"
        '<meta name="dc.title" content="Two Chapters">'
        '<meta name="dc.creator" content="Author, Bo, 1801-1870">'
        '<meta name="dc.language" content="en">'
    ),
)


def test_a_gutenberg_page_is_cut_at_its_chapter_headings() -> None:
    book = read_html(GUTENBERG)
    assert (book.title, book.author, book.language) == ("Two Chapters", "Bo Author", "en")
    assert [c.title for c in book.chapters] == ["Chapter I. The Start", "Chapter II. The End"]
    first, second = book.chapters
    assert first.text.startswith("CHAPTER I. The Start\n\nSTART")
    assert "Before the picture after the picture1." in first.text  # text after an image kept
    assert "{9}" not in first.text  # printed page numbers are not text
    assert second.text.endswith("THE END")
    everything = " ".join(c.text for c in book.chapters)
    assert "LICENCE" not in everything and "Gutenberg" not in everything
    assert "by Bo Author" not in everything and "The Start\n\nCHAPTER II" not in everything
    assert book.cover is None


def test_parts_prefix_their_first_chapter() -> None:
    body = (
        "<h1>Two Parts</h1>"
        "<h2>Book the First</h2><h3>Chapter 1</h3>" + paragraphs(2, "ONE") + "<h3>Chapter 2</h3>"
        "<p>A short line.</p>"
        + paragraphs(2, "TWO")
        + "<h2>Book the Second</h2><h3>Chapter 1</h3>"
        + paragraphs(2, "THREE")
    )
    book = read_html(page(body, "<title>Two Parts</title>"))
    assert [c.title for c in book.chapters] == [
        "Book the First \u2013 Chapter 1",
        "Chapter 2",
        "Book the Second \u2013 Chapter 1",
    ]
    assert book.chapters[0].text.startswith("Book the First\n\nChapter 1\n\nONE")


def test_a_bare_label_heading_takes_the_short_line_after_it_as_its_title() -> None:
    body = (
        "<hgroup><h2>Stave I</h2><p>Marley\u2019s Ghost</p></hgroup>"
        + paragraphs(2, "ONE")
        + "<h2>Stave II</h2><p>The First of the Three Spirits</p>"
        + paragraphs(2, "TWO")
    )
    book = read_html(page(body))
    assert [c.title for c in book.chapters] == [
        "Stave I: Marley\u2019s Ghost",
        "Stave II: The First of the Three Spirits",
    ]


def test_the_level_with_the_most_real_chapters_wins_over_sections_too_small() -> None:
    body = (
        "<h1>Chapter One</h1>"
        + paragraphs(1)
        + "<h2>A</h2><p>tiny</p><h2>B</h2><p>tiny</p>"
        + "<h1>Chapter Two</h1>"
        + paragraphs(2)
    )
    book = read_html(page(body))
    assert [c.title for c in book.chapters] == ["Chapter One", "Chapter Two"]
    assert "tiny" in book.chapters[0].text


def test_without_headings_the_page_is_one_chapter_or_parts() -> None:
    short = read_html(page(paragraphs(3)))
    assert [c.title for c in short.chapters] == ["A Hand-Made Book"]
    long = read_html(page(paragraphs(200)))  # about 7,200 words
    assert [c.title for c in long.chapters] == ["Part 1", "Part 2", "Part 3"]


def test_a_page_without_a_charset_is_read_as_utf8_or_else_windows_1252() -> None:
    text = "Caf\u00e9 cr\u00e8me \u2014 " + PARAGRAPH
    utf8 = f"<html><body><p>{text}<br></p></body></html>".encode()  # not XML: the HTML parser
    cp1252 = f"<html><body><p>{text}<br></p></body></html>".encode("cp1252")
    declared = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"</head><body><p>{text[:10]}</p></body></html>"
    ).encode("latin-1")
    assert read_html(utf8).chapters[0].text == text
    assert read_html(cp1252).chapters[0].text == text
    assert read_html(declared).chapters[0].text == text[:10]


def test_an_old_gutenberg_title_names_the_book_and_its_author() -> None:
    head = "<title>The Project Gutenberg EBook of A Tale, by Some One</title>"
    book = read_html(page(paragraphs(2), head))
    assert (book.title, book.author) == ("A Tale", "Some One")


def test_an_xhtml_entity_bomb_is_not_expanded() -> None:
    data = (
        '<?xml version="1.0"?>'
        + entity_bomb("html")
        + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p>'
        + paragraphs(2)
        + "</body></html>"
    ).encode()
    text = read_html(data).chapters[0].text
    assert "lol" not in text and len(text) < 1000


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><title>x</title></head><body></body></html>",
        b'<html><body><img src="scan.jpg"/><script>var a = "words";</script></body></html>',
        b"<html",
    ],
)
def test_a_page_without_text_is_refused(data: bytes) -> None:
    with pytest.raises(NoText):
        read_html(data)


@pytest.mark.parametrize(
    ("catalogue", "name"),
    [
        ("Carroll, Lewis, 1832-1898", "Lewis Carroll"),
        ("Austen, Jane", "Jane Austen"),
        ("Homer", "Homer"),
        ("Shelley, Mary Wollstonecraft, 1797-1851", "Mary Wollstonecraft Shelley"),
    ],
)
def test_person_name(catalogue: str, name: str) -> None:
    assert person_name(catalogue) == name
