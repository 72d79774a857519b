"""Plain-text books: Project Gutenberg boilerplate removed, chapters found by headings.

Pure functions. The text is cut into blocks at blank lines; a heading is a block of one
or two short lines: a keyword (CHAPTER, STAVE, LETTER, BOOK, PART ...) with a number, a
roman numeral (alone or before a title), a number, or an all-caps line. One kind of
heading is chosen per book (keywords first) and the headings of that kind start the
chapters; BOOK/PART/VOLUME headings between them name the part the next chapter opens.
A contents list is not taken for chapters: it is one block of many lines, or headings
with (almost) no text between them, which are dropped. What comes before the first
chapter (title page, contents, front matter) is left out; a text with no headings is one
chapter (or parts of about 3,000 words when long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.bookfiles.text import (
    NUMBER_WORDS,
    is_roman,
    language_code,
    nice_case,
    normalize,
    split_long,
    squash,
)
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import NoText, UnreadableFile

_START = re.compile(
    r"^\s*\*{3}\s*START OF (?:THE |THIS )?PROJECT GUTENBERG E-?BOOK.*$", re.I | re.M
)
_END = re.compile(
    r"^\s*(?:\*{3}\s*END OF (?:THE |THIS )?PROJECT GUTENBERG E-?BOOK"
    r"|End of (?:the )?Project Gutenberg'?s?\s+E-?(?:Book|text)).*$",
    re.I | re.M,
)
_SMALL_PRINT_END = re.compile(r"^\*END\*THE SMALL PRINT.*$", re.M)
_FIELD = re.compile(r"^(Title|Author|Language):[ \t]*(.*(?:\n[ \t]+\S.*)*)", re.M)
_PRODUCED = re.compile(r"^(produced by|e-?text prepared by|transcribed from)\b", re.I)
_CHAPTER_WORDS = "chapter|stave|letter|canto|adventure|section|episode|scene|lecture|essay"
_PART_WORDS = "book|part|volume|act|period"
_NUMBER = r"(?:the\s+)?(?P<num>[ivxlcdm]+|\d{1,3}|[a-z]+)"
_KEYWORD = re.compile(
    rf"^(?P<word>{_CHAPTER_WORDS}|{_PART_WORDS})\s+{_NUMBER}\b\.?\s*(?:[:.\-\u2014\u2013]+\s*)?"
    r"(?P<rest>.*)$",
    re.I,
)
_ROMAN_HEAD = re.compile(r"^(?P<num>[IVXLCDM]+)\.?(?:\s+(?P<rest>\S.*))?$")
_NUMBER_HEAD = re.compile(r"^(?P<num>\d{1,3})\.?(?:\s+(?P<rest>[A-Z]\S.*))?$")
_ILLUSTRATION = re.compile(r"\[(?:Illustration|Picture|Frontispiece)[^\]]*\]", re.I)
_ITALICS = re.compile(r"(?<!\w)_(\S(?:[^_]*\S)?)_(?!\w)")
_ENDING = re.compile(r"^(the end|finis|end)\.?$", re.I)
_NAMED = re.compile(
    r"^(?P<name>preface|foreword|introduction|prologue|epilogue|appendix|afterword|conclusion|postscript|"
    r"footnotes|notes|endnotes|glossary|index|transcriber'?s? notes?)\b[\s.:A-Z0-9\-]{0,40}$",
    re.I,
)
_FRONT = ("preface", "foreword", "introduction", "prologue")
_SKIPPED = frozenset({"footnotes", "notes", "endnotes", "glossary", "index"})
_CONTENTS = re.compile(r"^(table of )?contents\.?$", re.I)
_MIN_WORDS = 30
_KINDS = ("chapter", "roman-titled", "roman", "number", "caps")


@dataclass(frozen=True, slots=True)
class _Heading:
    index: int  # the block's position
    kind: str
    title: str


def read_txt(data: bytes) -> ExtractedBook:
    """The book in a plain-text file. Raises UnreadableFile or NoText."""
    text = decode(data)
    meta, body = strip_gutenberg(text)
    blocks = [b for b in re.split(r"\n[ \t]*\n", body) if b.strip()]
    blocks = [_ILLUSTRATION.sub("", b) for b in blocks]
    blocks = [b for b in blocks if b.strip() and not _PRODUCED.match(b.strip())]
    blocks = _without_contents(blocks)
    if not blocks:
        raise NoText("the text file is empty")
    title = meta.get("title")
    if title is None:  # a plain text file: its first line, unless that is a heading
        first = _first_line(blocks[:1]) if _heading(0, blocks[0]) is None else None
        if first is not None and len(blocks) > 1:
            blocks = blocks[1:]  # the title line is not read as text
        title = first or "Untitled"
    chapters = find_chapters(blocks, title)
    return ExtractedBook(
        title=title,
        author=meta.get("author") or "Unknown author",
        language=language_code(meta.get("language")),
        chapters=tuple(
            ExtractedChapter(n, t, x) for n, (t, x) in enumerate(chapters, 1) if x.strip()
        ),
    )


def _without_contents(blocks: list[str]) -> list[str]:
    """The blocks without a "Contents" heading and the list of short lines after it."""
    kept: list[str] = []
    skipping = False
    for block in blocks:
        lines = [line.strip() for line in block.strip().split("\n")]
        if _CONTENTS.match(squash(block)):
            skipping = True
            continue
        listed = len(lines) >= 3 or (len(lines) == 2 and _heading(0, block) is None)
        if skipping and listed and all(len(line) <= 80 for line in lines):
            continue
        skipping = False
        kept.append(block)
    return kept


def decode(data: bytes) -> str:
    """Text from bytes: a BOM's encoding, else UTF-8, else Windows-1252. Raises
    UnreadableFile for bytes that are not text."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("the file is not text")
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"),
                          (b"\xfe\xff", "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return normalize(data.decode(encoding).lstrip("\ufeff")).replace("\r\n", "\n")
            except UnicodeDecodeError:
                raise UnreadableFile(f"the file is not valid {encoding} text") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return normalize(text).replace("\r\n", "\n").replace("\r", "\n")


def strip_gutenberg(text: str) -> tuple[dict[str, str], str]:
    """(title/author/language from the header, the text between the START and END
    markers); a text without markers is returned whole with no metadata."""
    start = _START.search(text) or _SMALL_PRINT_END.search(text)
    if start is None:
        return {}, text
    meta = {
        name.lower(): squash(value.split("\n")[0])
        for name, value in _FIELD.findall(text[: start.start()])
        if value.strip()
    }
    body = text[start.end() :]
    end = _END.search(body)
    if end is not None:
        body = body[: end.start()]
    return meta, body


def find_chapters(blocks: list[str], book_title: str) -> list[tuple[str, str]]:
    """(title, text) of each chapter found in the blocks."""
    found = [h for i, b in enumerate(blocks) if (h := _heading(i, b)) is not None]
    parts = {h.index: h for h in found if h.kind == "part"}
    chosen = _choose(found, blocks, parts)
    if chosen:  # named sections: a preface before the chapters, an epilogue after them
        named = [
            h
            for h in found
            if h.kind == "named"
            and (h.index > chosen[0].index or h.title.lower().startswith(_FRONT))
        ]
        chosen = sorted(chosen + named, key=lambda h: h.index)
    if not chosen:
        text = "\n\n".join(_paragraph(b) for b in blocks)
        return split_long(book_title, _drop_ending(text))
    chapters: list[tuple[str, str]] = []
    ends = [h.index for h in chosen[1:]] + [len(blocks)]
    pending_part: str | None = _last_part(parts, -1, chosen[0].index)
    for heading, end in zip(chosen, ends, strict=True):
        if heading.title.lower().startswith(tuple(_SKIPPED)) or heading.title.lower().startswith(
            "transcriber"
        ):
            continue  # back matter: not read aloud
        start = heading.index + 1
        title = heading.title
        if start < end and _is_subtitle(blocks[start], heading):
            title = f"{title}: {nice_case(_plain(blocks[start]).rstrip('.'))}"
            start += 1
        if pending_part:
            title = f"{pending_part} \u2013 {title}"
        # A part heading after the chapter ends it and names the chapter that follows.
        stop = min([end, *parts_after(parts, heading.index, end)])
        body = blocks[start:stop]
        chapters.append((title, _drop_ending("\n\n".join(_paragraph(b) for b in body))))
        pending_part = _last_part(parts, heading.index, end)
    return chapters


def parts_after(parts: dict[int, _Heading], start: int, end: int) -> list[int]:
    """Block positions of the part headings between ``start`` and ``end``."""
    return [i for i in parts if start < i < end]


def _last_part(parts: dict[int, _Heading], start: int, end: int) -> str | None:
    inside = parts_after(parts, start, end)
    return parts[max(inside)].title if inside else None


def _choose(found: list[_Heading], blocks: list[str], parts: dict[int, _Heading]) -> list[_Heading]:
    """The headings of the first kind (in ``_KINDS`` order) that, once contents entries
    (headings with almost no text after them) are dropped, occur at least twice."""
    for kind in _KINDS:
        candidates = [h for h in found if h.kind == kind]
        kept = _drop_contents(candidates, blocks, parts)
        if len(kept) >= {"chapter": 1, "caps": 3}.get(kind, 2):
            return kept
    return []


def _drop_contents(
    headings: list[_Heading], blocks: list[str], parts: dict[int, _Heading]
) -> list[_Heading]:
    if not headings:
        return []
    kept = []
    ends = [h.index for h in headings[1:]] + [len(blocks)]
    for heading, end in zip(headings, ends, strict=True):
        stop = min([end, *parts_after(parts, heading.index, end)])
        words = sum(len(blocks[i].split()) for i in range(heading.index + 1, stop))
        if words >= _MIN_WORDS:
            kept.append(heading)
    return kept


def _heading(index: int, block: str) -> _Heading | None:
    lines = [squash(line) for line in block.strip().split("\n")]
    if len(lines) > 2 or any(len(line) > 100 for line in lines) or not lines[0]:
        return None
    first = lines[0]
    second = lines[1] if len(lines) == 2 else ""
    if not second and _NAMED.match(first) and (first.isupper() or first.istitle()):
        return _Heading(index, "named", nice_case(first.rstrip(".:")))
    keyword = _KEYWORD.match(first)
    if keyword and _is_number(keyword.group("num")):
        word = keyword.group("word").lower()
        kind = "part" if re.fullmatch(_PART_WORDS, word) else "chapter"
        number = keyword.group("num")
        number = number.upper() if is_roman(number) else nice_case(number.upper()).lower()
        label = f"{word.capitalize()} {number}"
        if re.match(r"(?i)the\s", first[len(keyword.group("word")) :].strip()):
            label = f"{word.capitalize()} the {number.capitalize()}"
        rest = _plain(keyword.group("rest")).rstrip(".:")
        return _Heading(index, kind, _title(f"{label}: {rest}" if rest else label, second))
    if second and not _looks_like_title(second):
        return None
    roman = _ROMAN_HEAD.match(first)
    if roman and is_roman(roman.group("num")):
        rest = roman.group("rest")
        if rest is None or _looks_like_title(rest):
            kind = "roman-titled" if rest or second else "roman"
            return _Heading(index, kind, _title(first, second))
    number = _NUMBER_HEAD.match(first)
    if number:
        return _Heading(index, "number", _title(first, second))
    if not second and _is_caps(first):
        return _Heading(index, "caps", nice_case(first))
    return None


def _title(first: str, second: str) -> str:
    first, second = _plain(first), _plain(second)
    first = nice_case(first.rstrip(".:"))
    first = re.sub(r"\s*:\s*", ": ", first)
    return f"{first}: {nice_case(second.rstrip('.'))}" if second else first


def _is_number(text: str) -> bool:
    return text.isdigit() or is_roman(text) or text.lower() in NUMBER_WORDS


def _looks_like_title(text: str) -> bool:
    """Short, and not a sentence (no lowercase start, no closing comma)."""
    return len(text) <= 80 and not text[0].islower() and not text.endswith((",", ";"))


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 3
        and len(line) <= 60
        and not any(c.islower() for c in letters)
        and not _ENDING.match(line)
        and not line.endswith((",", ";"))
    )


def _is_subtitle(block: str, heading: _Heading) -> bool:
    """A one-line title under a heading that is only a number ("CHAPTER I" then
    "JONATHAN HARKER'S JOURNAL")."""
    if ":" in heading.title or heading.kind in ("roman-titled", "caps"):
        return False
    if heading.kind == "chapter" and _KEYWORD.match(heading.title.replace(": ", " ")):
        rest = _KEYWORD.match(heading.title)
        if rest is not None and rest.group("rest"):
            return False
    line = _plain(block)
    return "\n" not in block.strip() and 0 < len(line) <= 70 and _is_caps_or_title(line)


def _is_caps_or_title(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", line)]
    if not words or line.endswith((",", ";")):
        return False
    letters = [c for c in line if c.isalpha()]
    if sum(c.isupper() for c in letters) >= 0.6 * len(letters):
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= max(1, len(words) * 0.6) and not line.endswith((".", "!", "?"))


def _plain(text: str) -> str:
    """A heading's text: one line, italics marks removed."""
    return squash(_ITALICS.sub(r"\1", text))


def _paragraph(block: str) -> str:
    text = _ITALICS.sub(r"\1", block)
    return squash(text)


def _drop_ending(text: str) -> str:
    paragraphs = text.split("\n\n")
    while paragraphs and (_ENDING.match(paragraphs[-1].strip()) or not paragraphs[-1].strip()):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _first_line(blocks: list[str]) -> str | None:
    for block in blocks[:5]:
        line = squash(block.strip().split("\n")[0])
        if 0 < len(line) <= 100:
            return nice_case(line)
    return None


__all__ = ["decode", "find_chapters", "read_txt", "strip_gutenberg"]
