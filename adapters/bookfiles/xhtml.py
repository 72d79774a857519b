"""XHTML and HTML documents as paragraphs of plain text, with where each id and each
heading starts.

Block elements end paragraphs; inline text, including the text after an image or a
footnote marker, stays in its paragraph. Scripts, styles, footnote reference markers and
page-break markers are not text. A heading's title is its text (an image's alt text when
it has none); an hgroup is one heading ("Stave I: Marley's Ghost"). A document that is not
well-formed XML is read with lxml's forgiving HTML parser instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

from adapters.bookfiles.safezip import xml_parser
from adapters.bookfiles.text import join_lines, squash

BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th",
        "tr", "ul"
    }
)  # fmt: skip
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "hgroup"])
_LEVELS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_SKIPPED = frozenset(["script", "style", "head", "title", "svg", "math", "template", "noscript"])
_NOT_TEXT_TYPES = frozenset({"noteref", "pagebreak", "z3998:footnote-ref"})
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_ENTITY = re.compile(r"&[A-Za-z_][\w.-]*;")
_DROP_CAP = re.compile(r"[^\W\d_]{1,2}")
_CHARSET = re.compile(rb"charset\s*=|<\?xml[^>]*encoding", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading: the paragraph it starts at, its level (1 for h1) and its title."""

    paragraph: int
    level: int
    title: str


@dataclass
class Document:
    """One content document's text: paragraphs, the paragraph each id starts at, the
    epub:type of each element with an id (and of the whole document, under "")."""

    paragraphs: list[str] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    title: str | None = None
    heading: str | None = None
    headings: list[Heading] = field(default_factory=list)

    def words(self, start: int = 0, end: int | None = None) -> int:
        """Words in paragraphs ``start``..``end``."""
        return sum(len(p.split()) for p in self.paragraphs[start:end])


def parse_document(data: bytes) -> Document:
    """The text of an XHTML document (never raises for broken markup)."""
    root = parse_root(data)
    return Document() if root is None else walk(root)


def parse_root(data: bytes) -> etree._Element | None:
    """The root element of an XHTML or HTML document (None when there is none)."""
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError:
        root = None
    if root is None:  # not well-formed: the forgiving HTML parser, without any DTD
        data = _DOCTYPE.sub(b"", data, count=1)
        parser = html.HTMLParser(
            no_network=True, remove_comments=True, remove_pis=True, encoding=_encoding(data)
        )
        try:
            root = html.fromstring(data, parser=parser)
        except (etree.ParserError, ValueError):
            return None
    return root


def _encoding(data: bytes) -> str | None:
    """The encoding of HTML that does not declare one (libxml2 would take Latin-1): UTF-8
    when it decodes, else Windows-1252; None (the document's own) when it declares one."""
    if _CHARSET.search(data[:4096]) or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entities
    return tag.rsplit("}", 1)[-1].lower()


def _types(element: etree._Element) -> frozenset[str]:
    value = element.get(EPUB_TYPE) or element.get("epub:type") or ""
    return frozenset(value.split())


def _is_page_number(element: etree._Element) -> bool:
    """A printed page's number kept in the text (Project Gutenberg's ``pagenum``)."""
    return "pagenum" in (element.get("class") or "").split()


def _is_drop_cap(image: etree._Element, before: list[str]) -> bool:
    """A paragraph's first letter drawn as an image, its alt text the letter."""
    return not "".join(before).strip() and bool(_DROP_CAP.fullmatch(image.get("alt") or ""))


def _is_boilerplate(element: etree._Element) -> bool:
    """Project Gutenberg's header and footer (its licence) in its HTML and EPUBs."""
    return element.get("id") in ("pg-header", "pg-footer") or "pg-boilerplate" in (
        element.get("class") or ""
    )


def _heading(element: etree._Element, name: str) -> Heading:
    """The heading an h1-h6 or hgroup element makes (its paragraph is set by the caller)."""
    if name == "hgroup":
        levels = [int(_local(e)[1]) for e in element.iter() if _local(e) in _LEVELS]
        title = join_lines(["".join(_title_text(child)) for child in element])
        level = min(levels, default=2)
    else:
        title = squash("".join(_title_text(element)))
        level = int(name[1])
    if not title:
        title = squash(" ".join(i.get("alt") or "" for i in element.iter("{*}img", "img")))
    return Heading(0, level, title)


def _title_text(element: etree._Element) -> list[str]:
    """The text of a heading, without footnote markers, with a space for a line break."""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if (
                _types(node) & _NOT_TEXT_TYPES
                or _local(node) in _SKIPPED
                or _is_page_number(node)
                or "caption" in (node.get("class") or "").split()
            ):
                walker.skip_subtree()
                continue
            if _local(node) == "br":
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        elif node is not element and node.tail:
            parts.append(node.tail)
    return parts


def walk(root: etree._Element) -> Document:
    """The text of a parsed document."""
    doc = Document()
    open_headings: list[etree._Element] = []
    buffer: list[str] = []
    document_types: set[str] = set()
    sections = 0  # the body and the first section name what the document is
    title = root.find(".//{*}title")
    if title is None:
        title = root.find(".//title")
    if title is not None:
        doc.title = squash("".join(title.itertext())) or None

    def flush() -> None:
        text = squash(_ENTITY.sub("", "".join(buffer)))  # entities left unexpanded
        buffer.clear()
        if text:
            doc.paragraphs.append(text)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        name = _local(element)
        if event == "start":
            types = _types(element)
            if name in ("body", "section", "article") and sections < 2:
                document_types.update(types)
                sections += 1
            if (
                name in _SKIPPED
                or types & _NOT_TEXT_TYPES
                or _is_boilerplate(element)
                or _is_page_number(element)
            ):
                walker.skip_subtree()
                continue
            if name in BLOCKS:
                flush()
            identifier = element.get("id")
            if identifier:
                doc.anchors.setdefault(identifier, len(doc.paragraphs))
                doc.types[identifier] = types
            if name in HEADINGS:
                if not open_headings:
                    heading = _heading(element, name)
                    doc.headings.append(Heading(len(doc.paragraphs), heading.level, heading.title))
                    if doc.heading is None:
                        doc.heading = heading.title or None
                open_headings.append(element)
            if name == "br":
                buffer.append(" ")
            if name == "img" and _is_drop_cap(element, buffer):
                buffer.append(element.get("alt") or "")
            if element.text and name not in _SKIPPED:
                buffer.append(element.text)
        else:
            if name in BLOCKS:
                flush()
            if open_headings and open_headings[-1] is element:
                open_headings.pop()
            if element.tail:
                buffer.append(element.tail)
    flush()
    doc.types[""] = frozenset(document_types)
    return doc


__all__ = ["Document", "Heading", "parse_document", "parse_root", "walk"]
