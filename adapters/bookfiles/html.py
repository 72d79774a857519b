"""HTML books (one file, like Project Gutenberg's HTML edition): chapters from headings.

Pure functions. The text is read as in an EPUB's documents (xhtml.py; Project Gutenberg's
header and licence are not text). The chapters are the headings of the level that cuts
the book into chapters (outline.by_headings); contents, copyright and licence headings are
skipped, the text before the first chapter (title page, contents list) is left out. A file
without usable headings is one chapter, or parts of about 3,000 words when long. Title,
author and language come from the Dublin Core meta tags, the <title> and the lang
attribute. An HTML file has no cover of its own (its images are separate files).
"""

from __future__ import annotations

import re

from lxml import etree

from adapters.bookfiles.outline import by_headings, chapters, until_gutenberg_end
from adapters.bookfiles.text import language_code, split_long, squash
from adapters.bookfiles.xhtml import parse_root, walk
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import NoText

_GUTENBERG_TITLE = re.compile(
    r"^(?:the )?project gutenberg e-?book of (?P<title>.+?)(?:, by (?P<author>.+))?$", re.I
)
_SITE_SUFFIX = re.compile(r"\s*[|\u2014\u2013-]\s*(free ebook|project gutenberg)\s*$", re.I)
_LIFE_DATES = re.compile(r"^\s*(\d{3,4}\??)?\s*-\s*(\d{3,4}\??)?\s*$|^\s*(b|d|fl)\.", re.I)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_html(data: bytes) -> ExtractedBook:
    """The book in an HTML file. Raises NoText."""
    root = parse_root(data)
    if root is None:
        raise NoText("the HTML file holds no text")
    meta = _meta(root)
    title, author = _title_and_author(root, meta)
    document = walk(root)
    title = title or document.heading or "Untitled"
    found = chapters(by_headings(document, title), [document], title)
    if not found:
        found = split_long(title, "\n\n".join(document.paragraphs))
    found = [(t, x) for t, x in until_gutenberg_end(found) if x.strip()]
    if not found:
        raise NoText("the HTML file holds no text")
    return ExtractedBook(
        title=title,
        author=author or "Unknown author",
        language=language_code(_language(root, meta)),
        chapters=tuple(ExtractedChapter(n, t, x) for n, (t, x) in enumerate(found, 1)),
    )


def _meta(root: etree._Element) -> dict[str, list[str]]:
    """The <meta name|property content> values, by lower-case name."""
    found: dict[str, list[str]] = {}
    for element in root.iter("{*}meta", "meta"):
        name = element.get("name") or element.get("property") or element.get("http-equiv")
        name = (name or "").strip().lower()
        content = squash(element.get("content") or "")
        if name and content:
            found.setdefault(name, []).append(content)
    return found


def _title_and_author(
    root: etree._Element, meta: dict[str, list[str]]
) -> tuple[str | None, str | None]:
    title = next(iter(meta.get("dc.title", []) + meta.get("og:title", [])), None)
    creators = meta.get("dc.creator", []) or meta.get("author", [])
    author = ", ".join(person_name(c) for c in creators) or None
    element = next(root.iter("{*}title", "title"), None)
    heading = squash("".join(element.itertext())) if element is not None else ""
    heading = _SITE_SUFFIX.sub("", heading)
    match = _GUTENBERG_TITLE.match(heading)
    if match:
        heading = match.group("title")
        author = author or match.group("author")
    return title or heading or None, author


def person_name(text: str) -> str:
    """A catalogue's name as it is read: "Carroll, Lewis, 1832-1898" -> "Lewis Carroll"."""
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p and not _LIFE_DATES.match(p)]
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    return ", ".join(parts)


def _language(root: etree._Element, meta: dict[str, list[str]]) -> str | None:
    for name in ("dc.language", "language", "content-language"):
        if meta.get(name):
            return meta[name][0]
    return root.get("lang") or root.get(_XML_LANG)


__all__ = ["person_name", "read_html"]
