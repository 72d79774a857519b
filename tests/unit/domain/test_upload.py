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
