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


def zip_head(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<doc/>")
    return buffer.getvalue()[:4096]


HTML5 = b"<!DOCTYPE html>\n<html lang='en'><head><title>T</title></head><body><p>Hi</p>"
XHTML = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"'
    b' "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
)
FB2 = b'<?xml version="1.0" encoding="utf-8"?>\n<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0">'


def palm_database(kind: bytes) -> bytes:
    return b"A_Christmas_Carol".ljust(32, b"\0") + bytes(28) + kind + bytes(10) + b"\0\x01"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (HTML5, BookFormat.HTML),
        (b"\xef\xbb\xbf  <HTML><BODY>Shouting markup</BODY></HTML>", BookFormat.HTML),
        (XHTML, BookFormat.HTML),
        (b"<!-- saved from a browser -->\n<html><p>x</p></html>", BookFormat.HTML),
        ("<html><p>UTF-16 page</p></html>".encode("utf-16"), BookFormat.HTML),
        (FB2, BookFormat.FB2),
        (b'<!DOCTYPE FictionBook [<!ENTITY a "b">]><FictionBook>', BookFormat.FB2),
        (
            FB2.replace(b"utf-8", b"windows-1251")
            + "\u041a\u043d\u0438\u0433\u0430".encode("cp1251"),
            BookFormat.FB2,
        ),
        (palm_database(b"BOOKMOBI"), BookFormat.MOBI),
        (palm_database(b"TEXtREAd"), None),  # PalmDoc: not a format BookBytes reads
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), BookFormat.DOCX),  # OLE: see docx
        (b"The <html> tag starts a web page, this book explains.", BookFormat.TXT),
        (b"<?xml version='1.0'?><svg/>", BookFormat.TXT),
        (b"<?xml version='1.0'", BookFormat.TXT),  # an unclosed declaration: no markup
    ],
)
def test_sniff_markup_and_kindle_books(head: bytes, expected: BookFormat | None) -> None:
    assert sniff_format(head) is expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("mimetype", "META-INF/container.xml"), None),  # not the EPUB mimetype
        (("[Content_Types].xml", "_rels/.rels", "word/document.xml"), BookFormat.DOCX),
        (("docProps/core.xml", "word/document.xml"), BookFormat.DOCX),
        (("[Content_Types].xml", "xl/workbook.xml"), BookFormat.DOCX),  # the reader refuses
        (("book.FB2",), BookFormat.FB2),
        (("notes.txt", "book.fb2"), None),  # an .fb2 must come first
        (("data.bin", "other.xml"), None),
    ],
)
def test_sniff_zips(names: tuple[str, ...], expected: BookFormat | None) -> None:
    assert sniff_format(zip_head(*names)) is expected


def test_an_epub_is_a_zip_with_the_epub_mimetype_first() -> None:
    assert sniff_format(epub_head()) is BookFormat.EPUB


def test_a_selection_round_trips_through_the_job_source_ref() -> None:
    import uuid

    from domain.upload import UploadSelection

    upload_id = uuid.uuid4()
    for chapters in (None, (1,), (1, 2, 3, 5, 9, 10, 11)):
        selection = UploadSelection(upload_id, chapters)
        assert UploadSelection.parse(selection.ref) == selection
    assert UploadSelection(upload_id, (1, 2, 3, 5, 9, 10, 11)).ref == f"{upload_id}:1-3,5,9-11"


def test_too_many_separate_ranges_are_refused() -> None:
    import uuid

    from domain.errors import ValidationFailed
    from domain.upload import UploadSelection

    with pytest.raises(ValidationFailed):
        _ = UploadSelection(uuid.uuid4(), tuple(range(1, 40, 2))).ref


@pytest.mark.parametrize("text", ["0", "3-1", "a", "1-", "1-20000"])
def test_bad_ranges(text: str) -> None:
    from domain.upload import parse_ranges

    with pytest.raises(ValueError):
        parse_ranges(text)
