"""Word (DOCX) books: chapters from the heading styles.

Pure functions. The zip is opened with the EPUB's limits and its XML parsed with entities,
DTDs and the network off. The main document is found through the package's relationships
(a spreadsheet or a presentation is refused as unsupported). Paragraphs are read in
order, tables included; deleted text, field codes and text-box fallbacks are not text,
inserted text is; a table of contents (TOC styles or a contents block) is skipped. A
paragraph's heading level is its outline level, else its style's, else the style's name
("heading 2"), found through word/styles.xml and the styles it is based on; the chapters
are the headings of the level that cuts the book into chapters (outline.by_headings).
Title, author and language come from docProps/core.xml (else the Title-styled paragraph
and the default language of the styles). A password-protected Word file is not a zip
but an OLE container holding an "EncryptedPackage": refused as encrypted; other OLE files
(Word 97 .doc, spreadsheets) as unsupported.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from adapters.bookfiles.outline import by_headings, chapters, until_gutenberg_end
from adapters.bookfiles.safezip import SafeZip, parse_xml
from adapters.bookfiles.text import language_code, split_long, squash
from adapters.bookfiles.xhtml import Document, Heading
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import EncryptedFile, NoText, UnreadableFile, UnsupportedFormat

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
DC = "{http://purl.org/dc/elements/1.1/}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_OFFICE_DOCUMENT = "/officeDocument"
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.I)
_TOC_NAME = re.compile(r"^(toc\s*\d|toc heading|table of contents)$", re.I)
_NOT_TEXT = frozenset({f"{W}txbxContent", MC_FALLBACK, f"{W}delText", f"{W}instrText"})
_BREAKS = frozenset({f"{W}tab", f"{W}br", f"{W}cr"})


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    level: int | None  # outline level + 1; 0 for the Title style
    based_on: str | None


def read_docx(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The book in a DOCX file. Raises UnreadableFile, EncryptedFile, FileTooLarge,
    UnsupportedFormat or NoText."""
    with open(path, "rb") as file:
        if file.read(8) == OLE_MAGIC:
            _refuse_ole(file)
    archive = SafeZip(path, max_total=max_total, max_ratio=max_ratio)
    try:
        return _read(archive)
    finally:
        archive.close()


def _refuse_ole(file: object) -> None:
    """An OLE container: an encrypted DOCX, or an old Word, Excel or PowerPoint file."""
    overlap = b""
    while chunk := file.read(1 << 20):  # type: ignore[attr-defined]
        if _ENCRYPTED_PACKAGE in overlap + chunk:
            raise EncryptedFile("the Word document is password-protected")
        overlap = chunk[-len(_ENCRYPTED_PACKAGE) :]
    raise UnsupportedFormat(
        "the file is an old Office document (like a Word 97-2003 .doc): save it as .docx"
    )


def _read(archive: SafeZip) -> ExtractedBook:
    main = _main_part(archive)
    styles, default_language = _styles(
        archive, posixpath.join(posixpath.dirname(main), "styles.xml")
    )
    body = parse_xml(archive.read(main)).find(f"{W}body")
    if body is None:
        raise UnreadableFile("the Word document has no body")
    document, title_line = _walk(body, styles)
    core = _core(archive)
    title = core.get("title") or title_line or "Untitled"
    found = chapters(by_headings(document, title), [document], title)
    if not found:
        found = split_long(title, "\n\n".join(document.paragraphs))
    found = [(t, x) for t, x in until_gutenberg_end(found) if x.strip()]
    if not found:
        raise NoText("the Word document holds no text")
    return ExtractedBook(
        title=title,
        author=core.get("creator") or "Unknown author",
        language=language_code(core.get("language") or default_language),
        chapters=tuple(ExtractedChapter(n, t, x) for n, (t, x) in enumerate(found, 1)),
    )


def _main_part(archive: SafeZip) -> str:
    """The main document's name, from the package relationships and content types."""
    if not archive.has("_rels/.rels"):
        raise UnreadableFile("the file is not an Office document (no _rels/.rels)")
    relationships = parse_xml(archive.read("_rels/.rels"))
    target = next(
        (
            r.get("Target") or ""
            for r in relationships.iter(f"{REL}Relationship")
            if (r.get("Type") or "").endswith(_OFFICE_DOCUMENT)
        ),
        "",
    )
    name = posixpath.normpath(target.lstrip("/")) if target else ""
    types = parse_xml(archive.read("[Content_Types].xml"))
    content_type = next(
        (
            o.get("ContentType") or ""
            for o in types.iter(f"{CT}Override")
            if (o.get("PartName") or "").lstrip("/") == name
        ),
        "",
    )
    if not name or "wordprocessingml" not in content_type:
        raise UnsupportedFormat("the file is an Office document but not a Word document")
    return name


def _styles(archive: SafeZip, name: str) -> tuple[dict[str, _Style], str | None]:
    """Paragraph styles by id, and the language of the document defaults."""
    if not archive.has(name):
        return {}, None
    root = parse_xml(archive.read(name))
    styles: dict[str, _Style] = {}
    for style in root.iter(f"{W}style"):
        if style.get(f"{W}type", "paragraph") != "paragraph" or not style.get(f"{W}styleId"):
            continue
        name_element = style.find(f"{W}name")
        style_name = name_element.get(f"{W}val", "") if name_element is not None else ""
        level = _outline_level(style.find(f"{W}pPr"))
        if level is None and (heading := _HEADING_NAME.match(style_name)):
            level = int(heading.group(1))
        if level is None and style_name.lower() == "title":
            level = 0
        based = style.find(f"{W}basedOn")
        styles[style.get(f"{W}styleId") or ""] = _Style(
            style_name, level, based.get(f"{W}val") if based is not None else None
        )
    language = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return styles, language.get(f"{W}val") if language is not None else None


def _outline_level(properties: etree._Element | None) -> int | None:
    element = properties.find(f"{W}outlineLvl") if properties is not None else None
    value = element.get(f"{W}val", "") if element is not None else ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def _style_of(paragraph: etree._Element, styles: dict[str, _Style]) -> tuple[str, int | None]:
    """A paragraph's style name and heading level (None: body text; 0: the title)."""
    properties = paragraph.find(f"{W}pPr")
    level = _outline_level(properties)
    element = properties.find(f"{W}pStyle") if properties is not None else None
    style_id = element.get(f"{W}val", "") if element is not None else ""
    name = styles[style_id].name if style_id in styles else style_id
    seen: set[str] = set()
    while level is None and style_id in styles and style_id not in seen:
        seen.add(style_id)
        level = styles[style_id].level
        style_id = styles[style_id].based_on or ""
    if level is None and not styles and (heading := _HEADING_NAME.match(name)):
        level = int(heading.group(1))  # no styles part: the id names the style
    return name, level


def _walk(body: etree._Element, styles: dict[str, _Style]) -> tuple[Document, str | None]:
    """The paragraphs and headings of the body, and the Title-styled line."""
    document = Document()
    title_line: str | None = None
    for paragraph in _paragraphs(body):
        name, level = _style_of(paragraph, styles)
        if _TOC_NAME.match(name):
            continue
        text = squash("".join(_runs(paragraph)))
        if not text:
            continue
        if level == 0:
            title_line = title_line or text
        elif level is not None:
            document.headings.append(Heading(len(document.paragraphs), level, text))
        document.paragraphs.append(text)
    return document, title_line


def _paragraphs(body: etree._Element) -> list[etree._Element]:
    """The body's paragraphs in order (tables' too), without a table-of-contents block,
    text boxes or compatibility fallbacks."""
    found: list[etree._Element] = []
    walker = etree.iterwalk(body, events=("start",))
    for _, element in walker:
        if element.tag in _NOT_TEXT or _is_contents_block(element):
            walker.skip_subtree()
        elif element.tag == f"{W}p":
            found.append(element)
    return found


def _is_contents_block(element: etree._Element) -> bool:
    if element.tag != f"{W}sdt":
        return False
    gallery = element.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in gallery.get(f"{W}val", "").lower()


def _runs(paragraph: etree._Element) -> list[str]:
    """A paragraph's text: its runs' text, a space for a tab or a line break."""
    parts: list[str] = []
    walker = etree.iterwalk(paragraph, events=("start",))
    for _, element in walker:
        if element.tag in _NOT_TEXT or (element.tag == f"{W}p" and element is not paragraph):
            walker.skip_subtree()
        elif element.tag == f"{W}t":
            parts.append(element.text or "")
        elif element.tag in _BREAKS:
            parts.append(" ")
        elif element.tag == f"{W}noBreakHyphen":
            parts.append("-")
    return parts


def _core(archive: SafeZip) -> dict[str, str]:
    """Title, creator and language from docProps/core.xml."""
    if not archive.has("docProps/core.xml"):
        return {}
    root = parse_xml(archive.read("docProps/core.xml"), recover=True)
    found: dict[str, str] = {}
    for name in ("title", "creator", "language"):
        element = root.find(f"{DC}{name}")
        text = squash("".join(element.itertext())) if element is not None else ""
        if text:
            found[name] = text
    return found


__all__ = ["OLE_MAGIC", "read_docx"]
