"""FB2 (FictionBook 2) books, plain or zipped (.fb2.zip): chapters from the sections.

Pure functions. The XML is parsed with entities, DTDs and the network off; a zip is opened
with the EPUB's limits and must hold exactly one .fb2. The main body is read in order (the
notes and comments bodies are not); its sections are the outline: a section's <title>, or
without one a short bold first line (as calibre writes them), is its chapter's title, and
nested sections are flattened as in an EPUB (a part's title prefixes its first chapter).
Untitled sections before the first titled one (an imprint) and text outside any section
are front or back matter.
Footnote links and images are not text; the text around them is kept. Title, author,
language and cover come from the description's title-info.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from lxml import etree

from adapters.bookfiles.outline import (
    Entry,
    chapters,
    tidy_title,
    until_gutenberg_end,
    with_subtitle,
)
from adapters.bookfiles.safezip import SafeZip, parse_xml, xml_parser
from adapters.bookfiles.text import join_lines, language_code, split_long, squash
from adapters.bookfiles.xhtml import Document
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import NoText, UnreadableFile

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
BLOCKS = frozenset(
    {
        "p", "v", "subtitle", "text-author", "title", "epigraph", "cite", "poem", "stanza",
        "annotation", "section", "table", "tr", "td", "th", "date", "empty-line"
    }
)  # fmt: skip
_NOT_TEXT = frozenset({"binary", "image", "stylesheet"})
_OTHER_BODIES = frozenset({"notes", "comments", "footnotes"})
_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_FRONT_MATTER = frozenset({"frontmatter"})
_OUTSIDE = frozenset({"backmatter"})  # skipped by outline.chapters, like front matter
_ENDS = tuple("FictionBook>".encode(e) for e in ("ascii", "utf-16-le", "utf-16-be"))
MAX_COVER_BYTES = 10 * 1024 * 1024
_HEADING_WORDS = 12


def read_fb2(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The book in an FB2 file or a zip holding one. Raises UnreadableFile, EncryptedFile,
    FileTooLarge or NoText."""
    with open(path, "rb") as file:
        zipped = file.read(4) == b"PK\x03\x04"
    data = _unzip(path, max_total, max_ratio) if zipped else Path(path).read_bytes()
    return read_fb2_bytes(data)


def _unzip(path: str, max_total: int, max_ratio: int) -> bytes:
    archive = SafeZip(path, max_total=max_total, max_ratio=max_ratio)
    try:
        names = [name for name in archive.names() if name.lower().endswith(".fb2")]
        if len(names) != 1:
            raise UnreadableFile(f"the zip holds {len(names)} FB2 books, not one")
        return archive.read(names[0])
    finally:
        archive.close()


def read_fb2_bytes(data: bytes) -> ExtractedBook:
    """The book in an FB2 document. Raises UnreadableFile or NoText."""
    if not any(end in data[-4096:] for end in _ENDS):
        raise UnreadableFile("the FB2 book is cut short (it does not end with </FictionBook>)")
    root = _parse(data)
    if _local(root) != "FictionBook":
        raise UnreadableFile("the file is not a FictionBook document")
    info = root.find("{*}description/{*}title-info")
    title = _text(info, "book-title") or "Untitled"
    body = next(
        (b for b in root.findall("{*}body") if (b.get("name") or "").lower() not in _OTHER_BODIES),
        None,
    )
    if body is None:
        raise NoText("the FB2 book has no body")
    document, entries = _walk(body)
    found = chapters(entries, [document], title) if entries else []
    if not found:
        found = split_long(title, "\n\n".join(document.paragraphs))
    found = [(t, x) for t, x in until_gutenberg_end(found) if x.strip()]
    if not found:
        raise NoText("the FB2 book holds no text")
    cover, cover_type = _cover(root, info)
    return ExtractedBook(
        title=title,
        author=_authors(info) or "Unknown author",
        language=language_code(_text(info, "lang")),
        chapters=tuple(ExtractedChapter(n, t, x) for n, (t, x) in enumerate(found, 1)),
        cover=cover,
        cover_type=cover_type,
    )


def _parse(data: bytes) -> etree._Element:
    """The document; the small faults of hand-made files (an undefined entity) are read
    past, an entity bomb is refused (libxml2 stops it even unexpanded)."""
    try:
        return etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as error:
        if "amplification" in str(error):
            raise UnreadableFile(
                "the FB2 book's entities multiply: refused as an XML bomb"
            ) from None
    return parse_xml(data, recover=True)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(parent: etree._Element | None, name: str) -> str | None:
    element = parent.find(f"{{*}}{name}") if parent is not None else None
    return squash("".join(element.itertext())) or None if element is not None else None


def _authors(info: etree._Element | None) -> str:
    names = []
    for author in info.findall("{*}author") if info is not None else []:
        parts = [_text(author, n) for n in ("first-name", "middle-name", "last-name")]
        name = " ".join(p for p in parts if p) or _text(author, "nickname")
        if name:
            names.append(name)
    return ", ".join(names)


def _walk(body: etree._Element) -> tuple[Document, list[Entry]]:
    """The body's paragraphs, and an entry where each section starts."""
    document = Document()
    entries: list[Entry] = []
    buffer: list[str] = []
    depth = 0
    titled = False  # untitled sections before the first titled one are front matter

    def flush() -> None:
        text = squash("".join(buffer))
        buffer.clear()
        if text:
            document.paragraphs.append(text)

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        name = _local(element)
        if event == "start":
            if not isinstance(element.tag, str):  # an entity left unexpanded: not text
                continue
            if name in _NOT_TEXT or (name == "a" and element.get("type") == "note"):
                walker.skip_subtree()
                continue
            if name in BLOCKS:
                flush()
            if name == "section":
                has_children = any(_local(child) == "section" for child in element)
                title = _section_title(element)
                titled = titled or bool(title)
                types = frozenset() if titled else _FRONT_MATTER
                entries.append(
                    Entry(title, 0, len(document.paragraphs), depth, has_children, types)
                )
                depth += 1
            if element.text:
                buffer.append(element.text)
        else:
            if name in BLOCKS:
                flush()
            if name == "section":
                depth -= 1
                if depth == 0:  # text after it, outside any section, is no chapter's
                    entries.append(Entry("", 0, len(document.paragraphs), 0, False, _OUTSIDE))
            if element is not body and element.tail:
                buffer.append(element.tail)
    flush()
    starts = [e.paragraph for e in entries[1:]]
    if entries:
        starts.append(len(document.paragraphs))
    return document, [  # a mark of text outside the sections only where there is such text
        e
        for e, end in zip(entries, starts, strict=True)
        if e.types != _OUTSIDE or end > e.paragraph
    ]


def _section_title(section: etree._Element) -> str:
    """The section's <title>, else its first line when short and all bold; with the line
    after it as a subtitle when it is a bare label ("Stave I": "Marley's Ghost")."""
    lines = [c for c in section if _local(c) in ("p", "subtitle")]
    title = section.find("{*}title")
    if title is not None:
        first = join_lines(["".join(p.itertext()) for p in title.findall("{*}p")])
    elif lines and _all_bold(lines[0]) and len(_line(lines[0]).split()) <= _HEADING_WORDS:
        first = _line(lines.pop(0))
    else:
        return ""
    return tidy_title(with_subtitle(first, _line(lines[0]) if lines else ""))


def _line(paragraph: etree._Element) -> str:
    return squash("".join(paragraph.itertext()))


def _all_bold(paragraph: etree._Element) -> bool:
    """Whether all of a paragraph's text is inside <strong>."""
    if (paragraph.text or "").strip():
        return False
    children = list(paragraph)
    return bool(children) and all(
        _local(c) == "strong" and not (c.tail or "").strip() for c in children
    )


def _cover(root: etree._Element, info: etree._Element | None) -> tuple[bytes | None, str | None]:
    """The cover image: the title-info's coverpage image, from its <binary>."""
    image = info.find("{*}coverpage/{*}image") if info is not None else None
    href = (image.get(XLINK_HREF) or image.get("href") or "") if image is not None else ""
    if not href.startswith("#"):
        return None, None
    binary = next((b for b in root.iter("{*}binary") if b.get("id") == href[1:]), None)
    content_type = binary.get("content-type") if binary is not None else None
    if binary is None or content_type not in _IMAGES:
        return None, None
    try:
        data = base64.b64decode("".join((binary.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        return None, None
    if not data or len(data) > MAX_COVER_BYTES:
        return None, None
    return data, content_type


__all__ = ["read_fb2", "read_fb2_bytes"]
