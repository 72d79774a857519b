"""The DOCX reader on small hand-made Word documents (a real one: test_real_books.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.docx import OLE_MAGIC, read_docx
from domain.errors import EncryptedFile, FileTooLarge, NoText, UnreadableFile, UnsupportedFormat
from tests.support.books import (
    WORD_STYLES,
    docx,
    entity_bomb,
    word_paragraph,
    word_paragraphs,
)

if TYPE_CHECKING:
    from pathlib import Path

    from application.uploads.ports import ExtractedBook

GIB = 1024**3
W = "w"
NOTE = '<w:r><w:footnoteReference w:id="1"/></w:r>'
PICTURE = '<w:r><w:drawing><wp:inline xmlns:wp="urn:x">a picture</wp:inline></w:drawing></w:r>'
CONTENTS = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
    "</w:docPartObj></w:sdtPr><w:sdtContent>"
    + word_paragraph("Chapter One ... 1", "TOC1")
    + "</w:sdtContent></w:sdt>"
)
BODY = (
    word_paragraph("A Hand-Made Book", "Title")
    + word_paragraph("Contents", "Heading1")
    + word_paragraph("Chapter One ... 1", "TOC1")
    + word_paragraph("Chapter Two ... 9", "TOC1")
    + CONTENTS
    + word_paragraph("Part One", "Heading1")
    + word_paragraph("Chapter One", "Heading2")
    + word_paragraphs(2, "ONE")
    + word_paragraph(
        "Before a note",
        runs=NOTE
        + PICTURE
        + "<w:r><w:tab/><w:t>after</w:t></w:r><w:del><w:r><w:delText>GONE</w:delText></w:r></w:del>"
        + '<w:ins><w:r><w:t xml:space="preserve"> and inserted.</w:t></w:r></w:ins>'
        + "<w:r><w:instrText>PAGEREF _Toc1</w:instrText></w:r>",
    )
    + word_paragraph("Chapter Two", "Heading2")
    + word_paragraphs(2, "TWO")
    + "<w:tbl><w:tr><w:tc>"
    + word_paragraph("In a table cell.")
    + "</w:tc></w:tr></w:tbl>"
    + word_paragraph("Copyright", "Heading1")
    + word_paragraphs(2, "COPYRIGHT")
)


def read(tmp_path: Path, data: bytes, max_total: int = GIB) -> ExtractedBook:
    path = tmp_path / "book.docx"
    path.write_bytes(data)
    return read_docx(str(path), max_total, 100)


def test_heading_styles_are_chapters_and_contents_is_skipped(tmp_path: Path) -> None:
    book = read(tmp_path, docx(BODY))
    assert (book.title, book.author, book.language) == ("A Hand-Made Book", "Ada Writer", "en")
    assert book.cover is None
    assert [c.title for c in book.chapters] == ["Part One \u2013 Chapter One", "Chapter Two"]
    everything = " ".join(c.text for c in book.chapters)
    assert "... 1" not in everything and "COPYRIGHT" not in everything


def test_the_text_of_runs_tables_and_tracked_changes(tmp_path: Path) -> None:
    first, second = read(tmp_path, docx(BODY)).chapters
    assert first.text.startswith("Part One\n\nChapter One\n\nONE")
    assert first.text.endswith("Before a note after and inserted.")  # text after an image kept
    assert "GONE" not in first.text and "PAGEREF" not in first.text
    assert second.text.endswith("In a table cell.")


def test_styles_are_resolved_through_their_names_and_what_they_are_based_on(
    tmp_path: Path,
) -> None:
    styles = WORD_STYLES.replace(
        "</w:styles>",
        # calibre names a style's id like its name; a user's style based on a heading
        '<w:style w:type="paragraph" w:styleId="Heading 2"><w:name w:val="Heading 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="ChapterTitle"><w:name w:val="Chapter Title"/>'
        '<w:basedOn w:val="Heading2"/></w:style></w:styles>',
    )
    body = (
        word_paragraph("Calibre Chapter", "Heading 2")
        + word_paragraphs(2)
        + word_paragraph("My Chapter", "ChapterTitle")
        + word_paragraphs(2)
        + '<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Outlined</w:t></w:r></w:p>'
        + word_paragraphs(2)
    )
    book = read(tmp_path, docx(body, styles=styles))
    assert [c.title for c in book.chapters] == ["Calibre Chapter", "My Chapter", "Outlined"]


def test_without_core_properties_the_title_style_and_default_language_are_used(
    tmp_path: Path,
) -> None:
    body = (
        word_paragraph("Ein Buch", "Title")
        + word_paragraph("Kapitel 1", "Heading1")
        + word_paragraph("Der Anfang")
        + word_paragraphs(2)
        + word_paragraph("Kapitel 2", "Heading1")
        + word_paragraphs(2)
    )
    book = read(tmp_path, docx(body, core=None))
    assert (book.title, book.author, book.language) == ("Ein Buch", "Unknown author", "de")
    assert [c.title for c in book.chapters] == ["Kapitel 1: Der Anfang", "Kapitel 2"]


def test_a_document_without_headings_is_one_chapter(tmp_path: Path) -> None:
    book = read(tmp_path, docx(word_paragraphs(3), styles=None))
    assert [c.title for c in book.chapters] == ["A Hand-Made Book"]


def test_an_entity_bomb_is_refused_and_not_expanded(tmp_path: Path) -> None:
    data = docx(word_paragraph("&lol9;") + word_paragraphs(2), prolog=entity_bomb("w:document"))
    with pytest.raises(UnreadableFile, match="malformed"):
        read(tmp_path, data)


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    data = docx(word_paragraphs(2), extra={"word/media/zeros.bin": bytes(20 * 1024 * 1024)})
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read(tmp_path, data)
    with pytest.raises(FileTooLarge):
        read(tmp_path, docx(word_paragraphs(2)), max_total=1000)


def test_an_ole_file_is_encrypted_when_it_holds_an_encrypted_package(tmp_path: Path) -> None:
    directory = "EncryptedPackage".encode("utf-16-le")
    encrypted = OLE_MAGIC + bytes(2_000_000) + directory + bytes(100)  # past the first chunk
    with pytest.raises(EncryptedFile):
        read(tmp_path, encrypted)
    with pytest.raises(UnsupportedFormat, match="97-2003"):
        read(tmp_path, OLE_MAGIC + "WordDocument".encode("utf-16-le") + bytes(100))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            docx(word_paragraphs(2), main_type="application/vnd.ms-excel.main+xml"),
            UnsupportedFormat,
        ),
        (docx(word_paragraphs(2))[:-60], UnreadableFile),  # cut short
        (b"PK\x03\x04" + bytes(100), UnreadableFile),
        (docx("<w:p><w:r><w:drawing/></w:r></w:p>"), NoText),
        (docx(word_paragraph("x ... 1", "TOC1") + word_paragraph(" ")), NoText),
    ],
)
def test_refused_documents(tmp_path: Path, data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read(tmp_path, data)
