"""BookReader adapters: each format's pure reader run in a child process.

Parsing untrusted files is the job of C libraries (lxml, PDFium); a file that crashes or
hangs one costs a child process, never the API. A file that kills or stalls its reader
is refused as unreadable.
"""

from __future__ import annotations

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


def read_pdf_file(path: str, max_pages: int) -> ExtractedBook:
    """The PDF reader on a file (runs in a child process)."""
    from adapters.bookfiles.pdf import read_pdf

    return read_pdf(path, max_pages)


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


__all__ = ["PooledBookReader", "read_epub_file", "read_pdf_file", "read_txt_file"]
