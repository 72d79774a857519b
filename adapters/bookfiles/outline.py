"""Chapters from a book's outline, shared by the EPUB, HTML, FB2, DOCX and MOBI readers.

An outline is a list of entries in reading order: a title and where its text starts (a
document, a paragraph in it). Front and back matter (by type or title) and a title page
(an entry named like the book) are skipped; a part whose own text is tiny is read with its
first chapter, whose title it prefixes; other entries with almost no text are merged into
the next one. A book with headings but no table of contents gets its outline from them:
the chapter level is the highest heading level that cuts the book into two or more
chapters of real length (a level of mostly parts, "Book the First", goes one deeper).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapters.bookfiles.text import NUMBER_WORDS, is_roman, nice_case, squash

if TYPE_CHECKING:
    from adapters.bookfiles.xhtml import Document

SKIPPED_TYPES = frozenset(
    {
        "cover", "titlepage", "halftitlepage", "copyright-page", "imprint", "toc", "colophon",
        "uncopyright", "loi", "lot", "index", "bibliography", "endnotes", "footnotes",
        "rearnotes", "glossary", "landmarks", "page-list", "frontmatter", "backmatter",
        "acknowledgments", "dedication", "contributors", "other-credits", "seriespage", "errata"
    }
)  # fmt: skip
KEPT_TYPES = frozenset(["preface", "foreword", "introduction", "prologue", "epilogue", "afterword"])
SKIPPED_TITLE_PATTERN = (
    r"^(table of )?contents$|^copyright|^title ?page|^half ?title|^imprint|^colophon|"
    r"^uncopyright|^cover$|^index$|^(end)?notes$|^footnotes$|^acknowledge?ments?|"
    r"^dedication$|^also by|^about the (author|publisher)|^licen[cs]e|project gutenberg|"
    r"^list of (illustrations|figures|tables)|^landmarks$|^bibliography$"
)
_SKIPPED_TITLES = re.compile(SKIPPED_TITLE_PATTERN, re.I)
PART = re.compile(r"^(part|book|volume)\b", re.I)
_GUTENBERG_END = re.compile(
    r"^\s*(\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG|End of (the )?Project Gutenberg)", re.I
)
_LABEL_WORDS = "chapter|stave|letter|canto|book|part|volume|section|act|scene|episode|lecture"
_LABEL = re.compile(r"^(?:[^\W\d_]+\s+)?(?:the\s+)?(?P<num>\w+)\.?$")  # "Kapitel 3"
_FINAL_STOP = re.compile(r"(?<![.\s])\.$")
_GLUED_LABEL = re.compile(rf"^((?i:{_LABEL_WORDS}))([IVXLCDM]+|\d+)\b")
_CAPS_LABEL = re.compile(rf"^(?:{_LABEL_WORDS})\b", re.I)
_SENTENCE_END = re.compile(r"[.!?,;:]$")
MIN_WORDS = 40
_SUBTITLE_WORDS = 10


@dataclass
class Entry:
    """An outline entry: its title and where its text starts."""

    title: str
    spine: int  # the document, in reading order
    paragraph: int  # the paragraph within that document
    depth: int = 0
    has_children: bool = False
    types: frozenset[str] = frozenset()


def is_skipped(entry: Entry) -> bool:
    """Front or back matter, by type or title (a preface or foreword is kept)."""
    if entry.types & KEPT_TYPES:
        return False
    return bool(entry.types & SKIPPED_TYPES) or bool(_SKIPPED_TITLES.search(entry.title))


def same_title(a: str, b: str) -> bool:
    """Whether two titles are the same words (case, quotes and punctuation aside)."""
    return bool(a) and _words(a) == _words(b)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold().replace("\u2019", "'")))


def text_between(documents: list[Document], start: tuple[int, int], end: tuple[int, int]) -> str:
    """Paragraphs from ``start`` up to ``end`` (document, paragraph), across documents."""
    parts: list[str] = []
    for spine in range(start[0], min(end[0], len(documents) - 1) + 1):
        doc = documents[spine]
        first = start[1] if spine == start[0] else 0
        last = end[1] if spine == end[0] else None
        parts.extend(doc.paragraphs[first:last])
    return "\n\n".join(parts)


def chapters(
    entries: list[Entry], documents: list[Document], book_title: str = ""
) -> list[tuple[str, str]]:
    """(title, text) per entry: skipped matter and a title page dropped, tiny entries
    merged forward (before the first chapter, a tiny entry is front matter: dropped)."""
    if not entries:
        return []
    ends = [(e.spine, e.paragraph) for e in entries[1:]] + [(len(documents), 0)]
    found: list[tuple[str, str]] = []
    carried_text: list[str] = []
    carried_title: list[str] = []
    for entry, end in zip(entries, ends, strict=True):
        text = text_between(documents, (entry.spine, entry.paragraph), end)
        if is_skipped(entry) or same_title(entry.title, book_title):
            continue
        title = entry.title or f"Chapter {len(found) + 1}"
        if len(text.split()) < MIN_WORDS and entry is not entries[-1]:
            part = entry.has_children or bool(PART.match(title))
            if found or part:  # a part-title page or an epigraph: read it first
                carried_text.append(text)
            if part:
                carried_title.append(title)
            continue
        if carried_title:
            title = " \u2013 ".join([*carried_title, title])
        found.append((title, "\n\n".join([*carried_text, text]).strip()))
        carried_text, carried_title = [], []
    return found


def until_gutenberg_end(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The chapters up to Project Gutenberg's end marker (its licence follows it); a
    chapter left with almost no text is dropped."""
    kept: list[tuple[str, str]] = []
    for title, text in found:
        paragraphs = text.split("\n\n")
        end = next((i for i, p in enumerate(paragraphs) if _GUTENBERG_END.match(p)), None)
        if end is None:
            kept.append((title, text))
            continue
        text = "\n\n".join(paragraphs[:end]).strip()
        if len(text.split()) >= MIN_WORDS:
            kept.append((title, text))
        break
    return kept


def by_headings(document: Document, book_title: str = "") -> list[Entry]:
    """The outline of one document from its headings (empty when no heading level cuts it
    into two or more chapters of real length)."""
    headings = document.headings
    counted = [
        (h, words)
        for h, words in zip(headings, _words_under(document), strict=True)
        if not _SKIPPED_TITLES.search(h.title) and not same_title(h.title, book_title)
    ]
    levels = sorted({h.level for h, _ in counted})
    chosen = None
    for level in levels:
        sections = [h for h, words in counted if h.level == level and words >= MIN_WORDS]
        if len(sections) < 2:
            continue
        chosen = level
        deeper = [d for d in levels if d > level]
        if not deeper or sum(bool(PART.match(h.title)) for h in sections) * 2 <= len(sections):
            break
    if chosen is None:
        return []
    return [
        Entry(_titled(document, h.title, h.paragraph), 0, h.paragraph, h.level, h.level < chosen)
        for h in headings
        if h.level <= chosen
    ]


def _words_under(document: Document) -> list[int]:
    """The words under each heading, up to the next heading of its level or higher (one
    pass: a stack of the headings still open, and running word counts)."""
    running = [0]
    for paragraph in document.paragraphs:
        running.append(running[-1] + len(paragraph.split()))
    headings = document.headings
    ends = [len(document.paragraphs)] * len(headings)
    open_headings: list[int] = []
    for index, heading in enumerate(headings):
        while open_headings and headings[open_headings[-1]].level >= heading.level:
            ends[open_headings.pop()] = heading.paragraph
        open_headings.append(index)
    return [running[end] - running[h.paragraph] for h, end in zip(headings, ends, strict=True)]


def _titled(document: Document, title: str, paragraph: int) -> str:
    """A heading as a chapter title: in title case when written in capitals, without a
    final full stop, and when only a label ("Stave I") with the short line after it as its
    subtitle ("Stave I: Marley's Ghost")."""
    after = document.paragraphs[paragraph + 1] if paragraph + 1 < len(document.paragraphs) else ""
    return tidy_title(with_subtitle(title, after))


def tidy_title(title: str) -> str:
    """A title in title case when written in capitals, without a final full stop, with a
    space between a label and its number ("CHAPTERXXVII." -> "Chapter XXVII")."""
    title = squash(title)
    glued = _GLUED_LABEL.match(title)  # "CHAPTERXXVII" (a typo in real books)
    if glued and (glued.group(2).isdigit() or is_roman(glued.group(2))):
        title = f"{glued.group(1)} {title[glued.start(2) :]}"
    title = _FINAL_STOP.sub("", nice_case(title))
    label = _CAPS_LABEL.match(title)  # "CHAPTER I. Down the Rabbit-Hole": mixed case
    if label and label.group(0).isupper():
        title = label.group(0).capitalize() + title[label.end() :]
    return title


def with_subtitle(title: str, line: str) -> str:
    """``title: line`` when ``title`` is a bare label and ``line`` reads like a subtitle."""
    if not is_label(title):
        return title
    line = squash(line)
    if len(line.split()) > _SUBTITLE_WORDS or _SENTENCE_END.search(line):
        return title
    if not re.search(r"[^\W\d_]", line):  # no letter: an ornament ("* * *") or nothing
        return title
    if is_label(line) or line[0] in "\"'\u201c\u2018(":
        return title
    return f"{title.rstrip('.')}: {line}"


def is_label(title: str) -> bool:
    """A heading that is only a numbered label, in any language: "Stave I", "Chapter 3.",
    "IV", "Part One", "Kapitel 2"."""
    match = _LABEL.match(squash(title))
    if match is None:
        return False
    number = match.group("num")
    return number.isdigit() or is_roman(number) or number.casefold() in NUMBER_WORDS


__all__ = [
    "KEPT_TYPES",
    "MIN_WORDS",
    "SKIPPED_TITLE_PATTERN",
    "SKIPPED_TYPES",
    "Entry",
    "by_headings",
    "chapters",
    "is_label",
    "is_skipped",
    "same_title",
    "text_between",
    "tidy_title",
    "until_gutenberg_end",
    "with_subtitle",
]
