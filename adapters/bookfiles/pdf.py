"""PDF books with text layers: chapters from the outline, else from headings.

Pure functions over pypdfium2 (PDFium), run in a child process. Each page's text is
cleaned first: running headers and footers (lines repeated at the top or bottom of many
pages, numbers aside) and page numbers are removed, ligatures and soft hyphens fixed,
words hyphenated at a line end joined. Chapters come from the outline (bookmarks) when
it has at least two usable entries (junk such as the cover, contents or copyright page
dropped; a part's entry names and prefixes its first chapter); otherwise headings are
found in the text: lines at the top of a page or set in a larger font than the body,
read like the plain-text reader reads headings (CHAPTER, PART, roman numerals, ...).
Pages without a text layer (scans) are OCRed with Tesseract (``ocr_page``), each page in
a child process; a PDF with no text even then is NoText. The book's language is the
catalog's /Lang; without one, the language Tesseract read most OCRed words in (it names
the model that read each word); otherwise English.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from adapters.bookfiles.outline import SKIPPED_TITLE_PATTERN
from adapters.bookfiles.text import is_roman, language_code, normalize, squash
from adapters.bookfiles.txt import find_chapters
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import EncryptedFile, FileTooLarge, NoText, UnreadableFile

if TYPE_CHECKING:
    from collections.abc import Callable

_EDGE_LINES = 2  # lines at the top and at the bottom where running heads live
_PAGE_NUMBER = re.compile(r"^(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})(\s+of\s+\d+)?$", re.I)
_HYPHENATED = re.compile(r"([^\W\d_])[-\x02\u00ad]$")
_TOP_LINES = 4
_HEADING = re.compile(
    r"^(chapter|part|book|volume|stave|letter|section|canto)\s+([ivxlcdm]+|\d{1,3}|[a-z]+)\b",
    re.I,
)
_BIG_FONT = 1.25
_SENTENCE_END = (".", "!", "?", "\u201d", '"', ":", "\u2019")


@dataclass
class _Page:
    lines: list[str]
    sizes: list[float]  # the font size at the start of each line (0 when unknown)


@dataclass(frozen=True)
class OcrPage:
    """One page as Tesseract read it: its lines, and how many words each model read."""

    lines: list[str]
    words: dict[str, int] = field(default_factory=dict)


@dataclass
class PdfText:
    """What a PDF's text layer holds, before chapters are found: each page's lines, the
    outline, the metadata, the catalog's /Lang, and the pages without text (scans, to OCR)."""

    pages: list[_Page]
    outline: list[tuple[int, str, int]]
    meta: dict[str, str]
    language: str | None = None
    ocr_words: Counter[str] = field(default_factory=Counter)

    @property
    def blank(self) -> list[int]:
        """Indexes of the pages with no text."""
        return [i for i, page in enumerate(self.pages) if not page.lines]

    def read_by_ocr(self, index: int, page: OcrPage) -> None:
        """Page ``index`` as OCR read it."""
        self.pages[index] = _Page(page.lines, [])
        self.ocr_words.update(page.words)


def read_pdf(
    path: str, max_pages: int, ocr: Callable[[str, int], OcrPage] | None = None
) -> ExtractedBook:
    """The book in a PDF; pages without text go through ``ocr(path, page index)`` (one
    after another: the pooled reader OCRs them in parallel). Raises EncryptedFile,
    UnreadableFile, FileTooLarge or NoText."""
    text = extract_pdf(path, max_pages)
    if ocr is not None:
        for index in text.blank:
            text.read_by_ocr(index, ocr(path, index))
    return book_from_pdf(text)


def extract_pdf(path: str, max_pages: int) -> PdfText:
    """The text layer of every page. Raises EncryptedFile, UnreadableFile, FileTooLarge."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if error.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
            raise EncryptedFile("the PDF is password-protected") from None
        raise UnreadableFile(f"the PDF cannot be read: {error}") from None
    try:
        if len(document) > max_pages:
            raise FileTooLarge(f"the PDF has {len(document)} pages, more than {max_pages}")
        pages = [_page(document, index, raw) for index in range(len(document))]
        return PdfText(
            pages, _outline(document), document.get_metadata_dict(), _catalog_language(document)
        )
    finally:
        document.close()


def book_from_pdf(text: PdfText) -> ExtractedBook:
    """The chapters of a PDF's text (OCRed pages included). Raises NoText."""
    pages = text.pages
    if not any(page.lines for page in pages):
        raise NoText("the PDF has no text, not even by OCR")
    for page in pages:  # OCRed lines have no font size
        page.sizes = page.sizes or [0.0] * len(page.lines)
    _drop_running_lines(pages)
    meta = text.meta
    title = _meta_text(meta.get("Title")) or _first_line(pages) or "Untitled"
    chapters = _by_outline(pages, text.outline) if len(text.outline) >= 2 else []
    if not chapters:
        chapters = find_chapters(_blocks(pages), title)
    return ExtractedBook(
        title=title,
        author=_meta_text(meta.get("Author")) or "Unknown author",
        language=_language(text),
        chapters=tuple(
            ExtractedChapter(n, t, x) for n, (t, x) in enumerate(chapters, 1) if x.strip()
        ),
    )


OCR_SCALE = 300 / 72  # render at 300 dpi


def ocr_page(path: str, index: int, tessdata: str, languages: str = "eng") -> OcrPage:
    """What Tesseract reads on one page rendered at 300 dpi with the models ``languages``
    (codes joined with '+') in the folder ``tessdata`` (runs in a child process: the C
    libraries of PDFium and Tesseract never run in the server)."""
    import pypdfium2 as pdfium
    import tesserocr

    document = pdfium.PdfDocument(path)
    try:
        page = document[index]
        bitmap = page.render(scale=OCR_SCALE, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        pixels = bytes(bitmap.buffer)
        page.close()
    finally:
        document.close()
    with tesserocr.PyTessBaseAPI(path=tessdata, lang=languages) as api:
        api.SetImageBytes(pixels, width, height, 1, stride)
        text = api.GetUTF8Text()
        words: Counter[str] = Counter(
            word.WordRecognitionLanguage()
            for word in tesserocr.iterate_level(api.GetIterator(), tesserocr.RIL.WORD)
        )
    lines = [squash(normalize(line)) for line in text.splitlines() if line.strip()]
    return OcrPage(lines, {code: n for code, n in words.items() if code})


def _catalog_language(document: object) -> str | None:
    """The catalog's /Lang (a BCP-47 tag such as "de-DE"), or None."""
    import ctypes

    import pypdfium2.raw as raw

    handle = document.raw  # type: ignore[attr-defined]
    size = raw.FPDFCatalog_GetLanguage(handle, None, 0)  # bytes of UTF-16LE with the NUL
    if size <= 2:
        return None
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFCatalog_GetLanguage(handle, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").strip() or None


def _language(text: PdfText) -> str:
    """The catalog's /Lang, else the language most OCRed words were read in, else English."""
    read_in = text.ocr_words.most_common(1)
    for tag in (text.language, read_in[0][0] if read_in else None):
        code = language_code(tag, default="")
        if code:
            return code
    return "en"


def _page(document: object, index: int, raw: object) -> _Page:
    try:
        page = document[index]  # type: ignore[index]
        textpage = page.get_textpage()
    except Exception as error:  # PDFium names no finer error for a broken page
        raise UnreadableFile(f"page {index + 1} of the PDF cannot be read: {error}") from None
    try:
        lines: list[str] = []
        sizes: list[float] = []
        position = 0  # the character index of each line's start, for its font size
        for line in textpage.get_text_range().split("\r\n"):
            # PDFium joins a word it sees hyphenated at a line end and marks the break
            # with U+FFFE (or U+0002): the word is spelled whole.
            cleaned = normalize(line).replace("\ufffe", "").replace("\x02", "").strip()
            if cleaned:
                lines.append(cleaned)
                sizes.append(raw.FPDFText_GetFontSize(textpage.raw, position))  # type: ignore[attr-defined]
            position += len(line) + 2
        return _Page(lines, sizes)
    finally:
        textpage.close()
        page.close()


def _normalized(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and running heads from the top and bottom lines of pages: a
    line found there on three pages or more (all but its first time, which may be the
    chapter's own heading), or, numbers aside, on a quarter of the pages (a numbered
    header), unless it reads like a chapter heading."""
    exact: Counter[str] = Counter()
    numbered: Counter[str] = Counter()
    for page in pages:
        ends = {*page.lines[:_EDGE_LINES], *page.lines[-_EDGE_LINES:]}
        exact.update(ends)
        numbered.update({_normalized(line) for line in ends})
    threshold = max(3, len(pages) // 4)
    seen: set[str] = set()
    for page in pages:
        keep = []
        for index, line in enumerate(page.lines):
            at_edge = index < _EDGE_LINES or index >= len(page.lines) - _EDGE_LINES
            if at_edge and (
                _PAGE_NUMBER.match(line)
                or (exact[line] >= 3 and line in seen)
                or (numbered[_normalized(line)] >= threshold and not _is_heading(line))
            ):
                continue
            seen.add(line)
            keep.append(index)
        page.lines = [page.lines[i] for i in keep]
        page.sizes = [page.sizes[i] for i in keep]


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(line))


def _join_lines(lines: list[str]) -> list[str]:
    """Lines as paragraphs: hyphenated words joined, a short line ending a sentence ends
    its paragraph."""
    if not lines:
        return []
    usual = statistics.median(len(line) for line in lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current and _HYPHENATED.search(current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if line.endswith(_SENTENCE_END) and len(line) < 0.8 * usual:
            paragraphs.append(squash(current))
            current = ""
    if current:
        paragraphs.append(squash(current))
    return paragraphs


def _blocks(pages: list[_Page]) -> list[str]:
    """Paragraph blocks for the heading finder: a likely heading line (near the top of a
    page, or in a big font) is a block of its own."""
    sizes = [s for page in pages for s in page.sizes if s > 0]
    body = statistics.median(sizes) if sizes else 0.0
    blocks: list[str] = []
    pending: list[str] = []
    for page in pages:
        for index, (line, size) in enumerate(zip(page.lines, page.sizes, strict=True)):
            big = body > 0 and size >= _BIG_FONT * body
            if (index < _TOP_LINES or big) and len(line) <= 80 and not line.endswith(","):
                blocks.extend(_join_lines(pending))
                pending = []
                blocks.append(line)
            else:
                pending.append(line)
    blocks.extend(_join_lines(pending))
    return blocks


def _outline(document: object) -> list[tuple[int, str, int]]:
    """(level, title, page index) of each outline entry that points at a page."""
    entries = []
    try:
        for item in document.get_toc():  # type: ignore[attr-defined]
            destination = item.get_dest()
            page = destination.get_index() if destination is not None else None
            title = squash(normalize(item.get_title() or ""))
            if page is not None and title:
                entries.append((item.level, title, page))
    except Exception:  # a broken outline is no outline
        return []
    return entries


def _by_outline(pages: list[_Page], outline: list[tuple[int, str, int]]) -> list[tuple[str, str]]:
    """Chapters cut at the outline's pages (at the title's line on that page when found)."""
    kept = [e for e in outline if not re.search(SKIPPED_TITLE_PATTERN, e[1], re.I)]
    roots = [e for e in kept if e[0] == min((k[0] for k in kept), default=0)]
    leaves = [
        (title, page, _ancestors(kept, i, skip_root=len(roots) == 1))
        for i, (level, title, page) in enumerate(kept)
        if not (i + 1 < len(kept) and kept[i + 1][0] > level)  # an entry with children
    ]
    starts = [(page, _title_line(pages[page], title)) for title, page, _ in leaves]
    chapters: list[tuple[str, str]] = []
    seen_parents: set[str] = set()
    for index, (title, _, parents) in enumerate(leaves):
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(leaves) else (len(pages), 0)
        lines = _lines_between(pages, start, end)
        new = [p for p in parents if p not in seen_parents]
        seen_parents.update(new)
        full_title = " \u2013 ".join([*new, title])
        chapters.append((full_title, "\n\n".join(_join_lines(lines))))
    return chapters


def _ancestors(entries: list[tuple[int, str, int]], index: int, *, skip_root: bool) -> list[str]:
    """Titles of the entries ``index`` is nested in, outermost first (a lone root, the
    book's own title, left out)."""
    level = entries[index][0]
    titles: list[str] = []
    for entry_level, title, _ in reversed(entries[:index]):
        if entry_level < level:
            titles.insert(0, title)
            level = entry_level
    return titles[1:] if skip_root and titles else titles


def _title_line(page: _Page, title: str) -> int:
    """The line of ``page`` where ``title`` starts (0 when not found)."""
    words = re.findall(r"\w+", title.lower())[:3]
    for index, line in enumerate(page.lines[:12]):
        if words and re.findall(r"\w+", line.lower())[: len(words)] == words:
            return index
    return 0


def _lines_between(pages: list[_Page], start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    lines: list[str] = []
    for number in range(start[0], min(end[0], len(pages) - 1) + 1):
        first = start[1] if number == start[0] else 0
        last = end[1] if number == end[0] else None
        lines.extend(pages[number].lines[first:last])
    return lines


def _meta_text(value: str | None) -> str | None:
    text = squash(value or "")
    return None if text.lower() in ("", "untitled", "anonymous", "unknown") else text


def _first_line(pages: list[_Page]) -> str | None:
    for page in pages[:3]:
        if page.lines and len(page.lines[0]) <= 100 and not is_roman(page.lines[0]):
            return page.lines[0]
    return None


__all__ = ["OcrPage", "PdfText", "book_from_pdf", "extract_pdf", "ocr_page", "read_pdf"]
