"""MOBI and AZW3 (Kindle) books, unpacked with KindleUnpack (the ``mobi`` package).

The PalmDB header is checked first: a book with DRM (its encryption field set) is refused
as encrypted, a file too short for its own header as corrupt, a book whose declared text
is over the uncompressed limit as too large. KindleUnpack then unpacks it into a temporary
directory: a KF8 book (AZW3, or the KF8 half of a combined MOBI) to an EPUB; an old MOBI 7
book to one HTML file with an OPF package and an NCX, zipped here into an EPUB. Either is
read by the EPUB reader (the NCX's entries point into the HTML). The directory is removed
after reading; one left behind by a child process killed at its timeout is removed by a
later read.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import struct
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

from adapters.bookfiles.epub import read_epub
from application.uploads.ports import ExtractedBook
from domain.errors import EncryptedFile, FileTooLarge, UnreadableFile

MOBI_TYPE = b"BOOKMOBI"
PREFIX = "bookbytes-mobi-"
_HEADER = 78  # the PalmDB header, before its record list
_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def read_mobi(
    path: str, max_total: int, max_ratio: int, stale_after_s: float = 3600.0
) -> ExtractedBook:
    """The book in a MOBI or AZW3 file. Raises UnreadableFile, EncryptedFile, FileTooLarge
    or NoText."""
    check_header(path, max_total)
    remove_stale(stale_after_s)
    with tempfile.TemporaryDirectory(prefix=PREFIX) as directory:
        unpacked = Path(directory)
        _unpack(path, unpacked)
        epub = next((unpacked / "mobi8").glob("*.epub"), None)
        if epub is None and (unpacked / "mobi7" / "book.html").exists():
            epub = _zip_as_epub(unpacked / "mobi7", unpacked / "mobi7.epub")
        if epub is None:
            raise UnreadableFile("the Kindle book holds no text (a print replica is a PDF)")
        return read_epub(str(epub), max_total, max_ratio)


def check_header(path: str, max_total: int) -> None:
    """Refuse a file that is not a whole MOBI header, has DRM, or declares too much text."""
    with open(path, "rb") as file:
        head = file.read(_HEADER)
        if len(head) < _HEADER or head[60:68] != MOBI_TYPE:
            raise UnreadableFile("the file is not a whole MOBI book")
        (records,) = struct.unpack_from(">H", head, 76)
        table = file.read(8 * records)
        if records < 1 or len(table) < 8 * records:
            raise UnreadableFile("the MOBI book is cut short (its record list is incomplete)")
        offsets = [offset for (offset, _) in struct.iter_unpack(">II", table)]
        size = file.seek(0, 2)
        file.seek(offsets[0])
        record = file.read(16)
    if len(record) < 16 or max(offsets) >= size:
        raise UnreadableFile("the MOBI book is cut short (records are missing)")
    text_length, encryption = struct.unpack_from(">I", record, 4)[0], record[12:14]
    if encryption != b"\x00\x00":
        raise EncryptedFile("the Kindle book is protected by DRM")
    if text_length > max_total:
        raise FileTooLarge(
            f"the book unpacks to {text_length} bytes of text, more than the limit of {max_total}"
        )


def remove_stale(older_than_s: float) -> None:
    """Remove unpacked books left behind by readers killed at their timeout."""
    cutoff = time.time() - older_than_s
    for directory in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        with contextlib.suppress(OSError):
            if directory.is_dir() and directory.stat().st_mtime < cutoff:
                shutil.rmtree(directory, ignore_errors=True)


def _unpack(path: str, directory: Path) -> None:
    with warnings.catch_warnings():  # it imports imghdr, deprecated (a backport comes with it)
        warnings.simplefilter("ignore", DeprecationWarning)
        from mobi.kindleunpack import unpackBook  # type: ignore[import-untyped]

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # it prints as it goes
            unpackBook(path, str(directory), epubver="A")
    except Exception as error:  # a parser of untrusted bytes: any failure is a bad file
        if "encrypted" in str(error).lower():
            raise EncryptedFile("the Kindle book is protected by DRM") from None
        raise UnreadableFile(f"the MOBI book is corrupt: {str(error)[:200]}") from None


def _zip_as_epub(directory: Path, epub: Path) -> Path:
    """An unpacked MOBI 7 book (book.html, content.opf, toc.ncx, images) as an EPUB."""
    with zipfile.ZipFile(epub, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", _CONTAINER)
        for file in sorted(directory.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(directory).as_posix())
    return epub


__all__ = ["MOBI_TYPE", "check_header", "read_mobi", "remove_stale"]
