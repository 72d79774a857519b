"""BookReader adapters: each format's pure reader run in a child process.

Parsing untrusted files is the job of C libraries (lxml, PDFium); a file that crashes or
hangs one costs a child process, never the API. A file that kills or stalls its reader
is refused as unreadable.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.native.errors import NativeCrash, NativeTimeout
from domain.errors import UnreadableFile

if TYPE_CHECKING:
    from collections.abc import Callable

    from adapters.native.pool import ChildProcessPool
    from application.uploads.ports import ExtractedBook


def read_txt_file(path: str) -> ExtractedBook:
    """The TXT reader on a file (runs in a child process)."""
    from adapters.bookfiles.txt import read_txt

    return read_txt(Path(path).read_bytes())


def read_epub_file(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The EPUB reader on a file (runs in a child process)."""
    from adapters.bookfiles.epub import read_epub

    return read_epub(path, max_total, max_ratio)


def read_html_file(path: str) -> ExtractedBook:
    """The HTML reader on a file (runs in a child process)."""
    from adapters.bookfiles.html import read_html

    return read_html(Path(path).read_bytes())


def read_fb2_file(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The FB2 reader on a file, plain or zipped (runs in a child process)."""
    from adapters.bookfiles.fb2 import read_fb2

    return read_fb2(path, max_total, max_ratio)


def read_docx_file(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The DOCX reader on a file (runs in a child process)."""
    from adapters.bookfiles.docx import read_docx

    return read_docx(path, max_total, max_ratio)


def read_mobi_file(
    path: str, max_total: int, max_ratio: int, stale_after_s: float
) -> ExtractedBook:
    """The MOBI/AZW3 reader on a file (runs in a child process; what it unpacks is
    removed after, or by a later read when the child is killed)."""
    from adapters.bookfiles.mobi import read_mobi

    return read_mobi(path, max_total, max_ratio, stale_after_s)


class PooledPdfReader:
    """BookReader for PDFs: the text layer is read in one child process, then the pages
    without text (scans) are OCRed in parallel, a page per call, across the pool's
    children (``tessdata``: the folder of Tesseract's models, ``languages`` the models to
    read with, codes joined with '+'; ``tessdata`` None: no OCR)."""

    def __init__(
        self, pool: ChildProcessPool, max_pages: int, tessdata: str | None, languages: str = "eng"
    ) -> None:
        self._pool = pool
        self._max_pages = max_pages
        self._tessdata = tessdata
        self._languages = languages

    async def read(self, path: Path) -> ExtractedBook:
        from adapters.bookfiles.pdf import book_from_pdf, extract_pdf, ocr_page

        try:
            text = await self._pool.run(extract_pdf, str(path), self._max_pages)
            blank = text.blank
            if blank and self._tessdata is not None:
                read = await asyncio.gather(
                    *(
                        self._pool.run(ocr_page, str(path), index, self._tessdata, self._languages)
                        for index in blank
                    )
                )
                for index, page in zip(blank, read, strict=True):
                    text.read_by_ocr(index, page)
            book: ExtractedBook = await self._pool.run(book_from_pdf, text)
            return book
        except NativeCrash:
            raise UnreadableFile("the file crashed the reader: it is corrupt") from None
        except NativeTimeout:
            raise UnreadableFile("the file took too long to read: it is too complex") from None


class PooledBookReader:
    """BookReader running ``read(path, *options)`` in a ChildProcessPool."""

    def __init__(
        self, read: Callable[..., ExtractedBook], pool: ChildProcessPool, *options: Any
    ) -> None:
        self._read = read
        self._pool = pool
        self._options = options

    async def read(self, path: Path) -> ExtractedBook:
        try:
            return await self._pool.run(self._read, str(path), *self._options)
        except NativeCrash:
            raise UnreadableFile("the file crashed the reader: it is corrupt") from None
        except NativeTimeout:
            raise UnreadableFile("the file took too long to read: it is too complex") from None


__all__ = [
    "PooledBookReader",
    "PooledPdfReader",
    "read_docx_file",
    "read_epub_file",
    "read_fb2_file",
    "read_html_file",
    "read_mobi_file",
    "read_txt_file",
]
