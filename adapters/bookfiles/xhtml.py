"""XHTML content documents as paragraphs of plain text, with where each id starts.

Block elements end paragraphs; inline text, including the text after an image or a
footnote marker, stays in its paragraph. Scripts, styles, footnote reference markers and
page-break markers are not text. A document that is not well-formed XML is read with
lxml's forgiving HTML parser instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

from adapters.bookfiles.safezip import xml_parser
from adapters.bookfiles.text import squash

BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th",
        "tr", "ul"
    }
)  # fmt: skip
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6", "hgroup"])
_SKIPPED = frozenset(["script", "style", "head", "title", "svg", "math", "template", "noscript"])
_NOT_TEXT_TYPES = frozenset({"noteref", "pagebreak", "z3998:footnote-ref"})
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_ENTITY = re.compile(r"&[A-Za-z_][\w.-]*;")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.DOTALL | re.IGNORECASE)


@dataclass
class Document:
    """One content document's text: paragraphs, the paragraph each id starts at, the
    epub:type of each element with an id (and of the whole document, under "")."""

    paragraphs: list[str] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    types: dict[str, frozenset[str]] = field(default_factory=dict)
    title: str | None = None
    heading: str | None = None

    def words(self, start: int = 0, end: int | None = None) -> int:
        """Words in paragraphs ``start``..``end``."""
        return sum(len(p.split()) for p in self.paragraphs[start:end])


def parse_document(data: bytes) -> Document:
    """The text of an XHTML document (never raises for broken markup)."""
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError:
        root = None
    if root is None:  # not well-formed: the forgiving HTML parser, without any DTD
        data = _DOCTYPE.sub(b"", data, count=1)
        parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        try:
            root = html.fromstring(data, parser=parser)
        except (etree.ParserError, ValueError):
            return Document()
    return _walk(root)


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions, entities
    return tag.rsplit("}", 1)[-1].lower()


def _types(element: etree._Element) -> frozenset[str]:
    value = element.get(EPUB_TYPE) or element.get("epub:type") or ""
    return frozenset(value.split())


def _is_boilerplate(element: etree._Element) -> bool:
    """Project Gutenberg's header and footer (its licence) in its HTML and EPUBs."""
    return element.get("id") in ("pg-header", "pg-footer") or "pg-boilerplate" in (
        element.get("class") or ""
    )


def _walk(root: etree._Element) -> Document:
    doc = Document()
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
            if name in _SKIPPED or types & _NOT_TEXT_TYPES or _is_boilerplate(element):
                walker.skip_subtree()
                continue
            if name in BLOCKS:
                flush()
            identifier = element.get("id")
            if identifier:
                doc.anchors.setdefault(identifier, len(doc.paragraphs))
                doc.types[identifier] = types
            if name in HEADINGS and doc.heading is None:
                doc.heading = squash(" ".join(element.itertext())) or None
            if name == "br":
                buffer.append(" ")
            if element.text and name not in _SKIPPED:
                buffer.append(element.text)
        else:
            if name in BLOCKS:
                flush()
            if element.tail:
                buffer.append(element.tail)
    flush()
    doc.types[""] = frozenset(document_types)
    return doc


__all__ = ["Document", "parse_document"]
