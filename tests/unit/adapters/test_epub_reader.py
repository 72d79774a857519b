"""The EPUB reader on small hand-made books (real ones: benchmarks/)."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.epub import read_epub
from domain.errors import EncryptedFile, FileTooLarge, NoText, UnreadableFile
from tests.support.books import COVER, epub2, epub3, opf, paragraphs, xhtml, zip_epub

if TYPE_CHECKING:
    from pathlib import Path

    from application.uploads.ports import ExtractedBook

GIB = 1024**3


def read(tmp_path: Path, data: bytes, max_total: int = GIB, max_ratio: int = 100) -> ExtractedBook:
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    return read_epub(str(path), max_total, max_ratio)


def test_epub3_metadata_cover_and_nested_nav(tmp_path: Path) -> None:
    book = read(tmp_path, epub3())
    assert (book.title, book.author, book.language) == ("A Hand-Made Book", "Ada Writer", "en")
    assert (book.cover, book.cover_type) == (COVER, "image/jpeg")
    assert [c.title for c in book.chapters] == [
        "Part One: Beginnings \u2013 I: The First",
        "II: The Second",
        "III: The Long One",
    ]


def test_epub3_chapters_are_cut_at_their_anchors_and_span_files(tmp_path: Path) -> None:
    first, second, third = read(tmp_path, epub3()).chapters
    assert first.text.startswith("Part One\n\nI\n\nONE")  # the part page is read first
    assert "TWO" not in first.text and "ONE" not in second.text
    assert "Before the picture after the picture." in first.text  # text after an image kept
    assert second.text.startswith("II\n\nTWO")
    assert "THREE-A" in third.text and "THREE-B" in third.text
    everything = " ".join(c.text for c in (first, second, third))
    assert "COPYRIGHT" not in everything and "NOTE" not in everything


def test_epub2_ncx_in_spine_order_without_contents_or_licence(tmp_path: Path) -> None:
    book = read(tmp_path, epub2())
    assert (book.title, book.author, book.language) == ("Two Chapters", "Bo Author", "fr")
    assert book.cover_type == "image/png"
    assert [c.title for c in book.chapters] == ["Chapter 1. Arrival", "Chapter 2. Departure"]
    assert "DEPARTURE" not in book.chapters[0].text
    assert "LICENCE" not in " ".join(c.text for c in book.chapters)


def test_without_a_table_of_contents_each_spine_document_is_a_chapter(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf(
            [
                ("a", "a.xhtml", "application/xhtml+xml"),
                ("b", "b.xhtml", "application/xhtml+xml"),
            ],
            ["b", "a"],  # the spine, not the manifest, is the reading order
        ),
        "OEBPS/a.xhtml": xhtml("<h1>Second</h1>" + paragraphs(2, "AAA")),
        "OEBPS/b.xhtml": xhtml("<h1>First</h1>" + paragraphs(2, "BBB")),
    }
    book = read(tmp_path, zip_epub(files))
    assert [c.title for c in book.chapters] == ["First", "Second"]


def bomb_entities() -> bytes:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
        "OEBPS/a.xhtml": lol
        + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p>'
        + paragraphs(2)
        + "</body></html>",
    }
    return zip_epub(files)


def test_an_xml_bomb_is_not_expanded(tmp_path: Path) -> None:
    book = read(tmp_path, bomb_entities())
    assert "lol" not in book.chapters[0].text
    assert len(book.chapters[0].text) < 2000


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    page = (
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&x;</p>'
        + paragraphs(2)
        + "</body></html>"
    )
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
        "OEBPS/a.xhtml": page,
    }
    assert "TOP-SECRET" not in read(tmp_path, zip_epub(files)).chapters[0].text


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
        "OEBPS/a.xhtml": xhtml(paragraphs(2)),
        "OEBPS/zeros.bin": bytes(20 * 1024 * 1024),
    }
    data = zip_epub(files)
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read(tmp_path, data)
    with pytest.raises(FileTooLarge):
        read(tmp_path, data, max_total=10 * 1024 * 1024, max_ratio=10_000)


def test_encrypted_content_is_refused_but_obfuscated_fonts_are_not(tmp_path: Path) -> None:
    def with_encryption(algorithm: str) -> bytes:
        encryption = (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            f'<enc:EncryptionMethod Algorithm="{algorithm}"/></enc:EncryptedData></encryption>'
        )
        files: dict[str, str | bytes] = {
            "META-INF/encryption.xml": encryption,
            "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
            "OEBPS/a.xhtml": xhtml(paragraphs(2)),
        }
        return zip_epub(files)

    with pytest.raises(EncryptedFile):
        read(tmp_path, with_encryption("http://www.w3.org/2001/04/xmlenc#aes128-cbc"))
    assert read(tmp_path, with_encryption("http://www.idpf.org/2008/embedding")).chapters


@pytest.mark.parametrize(
    "files",
    [
        {"OEBPS/content.opf": "<package><unclosed"},
        {"OEBPS/other.opf": "<package/>"},  # the container names a missing package
    ],
)
def test_broken_packages_are_unreadable(tmp_path: Path, files: dict[str, str | bytes]) -> None:
    with pytest.raises(UnreadableFile):
        read(tmp_path, zip_epub(files))


def test_a_corrupt_archive_is_unreadable(tmp_path: Path) -> None:
    data = bytearray(epub3())
    data[200:400] = bytes(200)
    with pytest.raises(UnreadableFile):
        read(tmp_path, bytes(data))
    with pytest.raises(UnreadableFile):
        read(tmp_path, epub3()[:300])


def test_a_book_of_images_has_no_text(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
        "OEBPS/a.xhtml": xhtml('<p><img src="page1.jpg" alt=""/></p>'),
    }
    with pytest.raises(NoText):
        read(tmp_path, zip_epub(files))


def test_a_password_protected_zip_is_encrypted(tmp_path: Path) -> None:
    data = bytearray(zip_epub({"OEBPS/content.opf": "<package/>"}))
    # Set the "encrypted" flag bit on every local and central header.
    buffer = io.BytesIO(bytes(data))
    with zipfile.ZipFile(buffer) as archive:
        offsets = [info.header_offset for info in archive.infolist()]
    for offset in offsets:
        data[offset + 6] |= 0x1
    central = bytes(data).find(b"PK\x01\x02")
    while central != -1:
        data[central + 8] |= 0x1
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    with pytest.raises(EncryptedFile):
        read(tmp_path, bytes(data))
