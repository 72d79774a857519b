"""Both readers on a real public-domain book: A Christmas Carol, as Project Gutenberg's
plain text (#46) and as Standard Ebooks' EPUB 3 (CC0; images and CSS left out)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from adapters.bookfiles.epub import read_epub
from adapters.bookfiles.txt import read_txt

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
