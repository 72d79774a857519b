"""Sniffing a file's format from its first bytes."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.upload import BookFormat, sniff_format


def epub_head() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", "<container/>")
    return buffer.getvalue()[:4096]


def zip_head() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<doc/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", BookFormat.PDF),
        (b"\r\n%PDF-1.4 junk before the header", BookFormat.PDF),
        ("Chapter I\n\nIt was a dark night. Caf\u00e9.".encode(), BookFormat.TXT),
        ("Caf\u00e9 cr\u00e8me".encode("cp1252"), BookFormat.TXT),
        ("\ufeffUTF-16".encode("utf-16"), BookFormat.TXT),
        (("a" * 4095 + "\u00e9").encode()[:4096], BookFormat.TXT),  # cut mid-character
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
        (b"\x7fELF\x02\x01\x01\x00", None),
        (b"   \n\n ", None),
        (b"", None),
    ],
)
def test_sniff(head: bytes, expected: BookFormat | None) -> None:
    assert sniff_format(head) is expected


def test_an_epub_is_a_zip_with_the_epub_mimetype_first_and_any_other_zip_is_not() -> None:
    assert sniff_format(epub_head()) is BookFormat.EPUB
    assert sniff_format(zip_head()) is None
