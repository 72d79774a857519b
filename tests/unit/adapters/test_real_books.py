"""The readers on real public-domain books: A Christmas Carol as Project Gutenberg's plain
text (#46) and as Standard Ebooks' EPUB 3 (CC0; images and CSS left out), and that EPUB as
calibre 6.13 writes it in MOBI 7, KF8 (AZW3), FB2 and as pandoc 2.17 writes it in DOCX and
FB2 (a small cover added to calibre's); Alice in Wonderland as Project Gutenberg's HTML
(#11)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.docx import read_docx
from adapters.bookfiles.epub import read_epub
from adapters.bookfiles.fb2 import read_fb2_bytes
from adapters.bookfiles.html import read_html
from adapters.bookfiles.mobi import read_mobi
from adapters.bookfiles.txt import read_txt

if TYPE_CHECKING:
    from application.uploads.ports import ExtractedBook

BOOKS = Path(__file__).resolve().parents[2] / "fixtures" / "books"
STAVES = [
    ("Marley's Ghost", "Marley was dead: to begin with."),
    ("The First of the Three Spirits", "When Scrooge awoke, it was so dark"),
    ("The Second of the Three Spirits", "Awaking in the middle of a prodigiously tough snore"),
    ("The Last of the Spirits", "The Phantom slowly, gravely, silently, approached."),
    ("The End of It", "Yes! and the bedpost was his own."),
]
ROMAN = ["I", "II", "III", "IV", "V"]


def words(text: str, n: int = 4) -> list[str]:
    """The first ``n`` words, lower case, without punctuation (editions differ in it)."""
    return re.findall(r"[a-z]+", text.lower().replace("\u2019", "'"))[:n]


def test_gutenberg_text() -> None:
    book = read_txt(gzip.decompress((BOOKS / "pg46-a-christmas-carol.txt.gz").read_bytes()))
    assert (book.title, book.author, book.language) == (
        "A Christmas Carol",
        "Charles Dickens",
        "en",
    )
    assert [c.title for c in book.chapters] == ["Preface"] + [
        f"Stave {n}: {title}" for n, (title, _) in zip(ROMAN, STAVES, strict=True)
    ]
    assert book.chapters[0].text.startswith("I HAVE endeavoured in this Ghostly little book")
    for chapter, (_, first) in zip(book.chapters[1:], STAVES, strict=True):
        assert words(chapter.text) == words(first)
    everything = " ".join(c.text for c in book.chapters)
    assert "Gutenberg" not in everything and "Marley's Ghost" not in book.chapters[0].text
    assert book.chapters[-1].text.endswith("God bless Us, Every One!")


def test_standard_ebooks_epub() -> None:
    book = read_epub(str(BOOKS / "a-christmas-carol.epub"), 1 << 30, 100)
    assert (book.title, book.author, book.language) == (
        "A Christmas Carol",
        "Charles Dickens",
        "en",
    )
    assert [c.title for c in book.chapters] == ["Preface"] + [
        f"Stave {n}: {title.replace(chr(39), chr(0x2019))}"
        for n, (title, _) in zip(ROMAN, STAVES, strict=True)
    ]
    for chapter, (title, first) in zip(book.chapters[1:], STAVES, strict=True):
        heading = f"Stave {ROMAN[chapter.number - 2]}\n\n{title.replace(chr(39), chr(0x2019))}"
        assert chapter.text.startswith(heading)
        assert words(chapter.text[len(heading) :]) == words(first)
    everything = " ".join(c.text for c in book.chapters)
    assert "Standard Ebooks" not in everything and "public domain" not in everything


def carol_converted(name: str) -> ExtractedBook:
    path = BOOKS / name
    if name.endswith(".fb2.gz"):
        return read_fb2_bytes(gzip.decompress(path.read_bytes()))
    if name.endswith(".docx"):
        return read_docx(str(path), 1 << 30, 100)
    return read_mobi(str(path), 1 << 30, 100)


@pytest.mark.parametrize(
    "name",
    [
        "a-christmas-carol.mobi",
        "a-christmas-carol.azw3",
        "a-christmas-carol.fb2.gz",
        "a-christmas-carol-pandoc.fb2.gz",
        "a-christmas-carol.docx",
    ],
)
def test_standard_ebooks_epub_converted(name: str) -> None:
    book = carol_converted(name)
    assert (book.title, book.author, book.language) == (
        "A Christmas Carol",
        "Charles Dickens",
        "en",
    )
    assert [c.title for c in book.chapters] == ["Preface"] + [
        f"Stave {n}: {title.replace(chr(39), chr(0x2019))}"
        for n, (title, _) in zip(ROMAN, STAVES, strict=True)
    ]
    assert book.chapters[0].text.startswith("Preface\n\nI have endeavoured")
    for chapter, (title, first) in zip(book.chapters[1:], STAVES, strict=True):
        heading = f"Stave {ROMAN[chapter.number - 2]}\n\n{title.replace(chr(39), chr(0x2019))}"
        assert chapter.text.startswith(heading)
        assert words(chapter.text[len(heading) :]) == words(first)
    assert book.chapters[-1].text.endswith("God Bless Us, Every One!\u201d")
    everything = " ".join(c.text for c in book.chapters)
    assert "Standard Ebooks" not in everything and "public domain" not in everything
    has_cover = "pandoc" not in name and not name.endswith(".docx")
    assert (book.cover_type, book.cover is not None) == (
        ("image/jpeg", True) if has_cover else (None, False)
    )


ALICE = [
    ("Down the Rabbit-Hole", "Alice was beginning to get very tired"),
    ("The Pool of Tears", "Curiouser and curiouser! cried Alice"),
    ("A Caucus-Race and a Long Tale", "They were indeed a queer-looking party"),
    ("The Rabbit Sends in a Little Bill", "It was the White Rabbit, trotting slowly back"),
    ("Advice from a Caterpillar", "The Caterpillar and Alice looked at each other"),
    ("Pig and Pepper", "For a minute or two she stood looking at the house"),
    ("A Mad Tea-Party", "There was a table set out under a tree"),
    ("The Queen\u2019s Croquet-Ground", "A large rose-tree stood near the entrance"),
    ("The Mock Turtle\u2019s Story", "You can\u2019t think how glad I am to see you"),
    ("The Lobster Quadrille", "The Mock Turtle sighed deeply"),
    ("Who Stole the Tarts?", "The King and Queen of Hearts were seated"),
    ("Alice\u2019s Evidence", "Here! cried Alice, quite forgetting"),
]
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def test_gutenberg_html() -> None:
    book = read_html(gzip.decompress((BOOKS / "pg11-alice.html.gz").read_bytes()))
    assert (book.title, book.author, book.language) == (
        "Alice's Adventures in Wonderland",
        "Lewis Carroll",
        "en",
    )
    assert [c.title for c in book.chapters] == [
        f"Chapter {n}. {title}" for n, (title, _) in zip(ROMANS, ALICE, strict=True)
    ]
    for chapter, (title, first) in zip(book.chapters, ALICE, strict=True):
        heading = f"CHAPTER {ROMANS[chapter.number - 1]}. {title}"
        assert chapter.text.startswith(heading)
        assert words(chapter.text[len(heading) :]) == words(first)
    everything = " ".join(c.text for c in book.chapters)
    assert "Gutenberg" not in everything and "Contents" not in everything
    assert book.chapters[-1].text.endswith("the happy summer days.\n\nTHE END")
