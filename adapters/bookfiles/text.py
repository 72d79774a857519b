"""Text helpers every reader shares: headings' case, roman numerals, number words,
whitespace, and long headingless text cut into parts."""

from __future__ import annotations

import re
import unicodedata

from adapters.bookfiles.language_codes import ISO_639_2, NAMES

ROMAN = re.compile(r"^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$", re.IGNORECASE)
NUMBER_WORDS = frozenset(
    {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty", "thirty", "forty", "fifty", "first", "second", "third", "fourth",
        "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "last",
        "final",
    }
)  # fmt: skip
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
     "the", "to", "with"}
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)
PART_WORDS = 3000


def is_roman(text: str) -> bool:
    """True for a well-formed roman numeral (any case), never for the empty string."""
    return bool(text) and bool(ROMAN.match(text))


def squash(text: str) -> str:
    """Whitespace runs as one space, ends stripped; soft hyphens and zero-widths removed."""
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def join_lines(lines: list[str]) -> str:
    """A title written on several lines as one: "Stave I" + "Marley's Ghost" ->
    "Stave I: Marley's Ghost"; after a line ending in punctuation, a space."""
    title = ""
    for line in (squash(line) for line in lines):
        if not line:
            continue
        if not title:
            title = line
        elif title.endswith((".", ":", "!", "?", "\u2014", "\u2013", "-")):
            title = f"{title} {line}"
        else:
            title = f"{title}: {line}"
    return title


def nice_case(title: str) -> str:
    """A heading written (mostly) in capitals in title case ("MARLEY'S GHOST" ->
    "Marley's Ghost"); roman numerals stay upper case, words already in lower case stay;
    a heading in mixed case is kept as written."""
    letters = [c for c in title if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.6 * len(letters):
        return title

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if not word.isupper():
            return word
        before = title[: match.start()].rstrip()
        opens = not before or before.endswith((":", ".", "-", "\u2013", "\u2014", '"', "\u201c"))
        lower = word.lower()
        if is_roman(word) and (len(word) > 1 or word in "IVX") and not _is_plain_word(word):
            return word
        if not opens and lower in _SMALL_WORDS:
            return lower
        return lower[:1].upper() + lower[1:]

    return _WORD.sub(fix, title)


def _is_plain_word(word: str) -> bool:
    """Roman-looking English words ("MIX", "CIVIL" is not roman): only a few collide."""
    return word.upper() in {"MIX", "DIM", "MID", "LID", "DID", "MILD", "CIVIL", "VIVID"}


def language_code(name: str | None, default: str = "en") -> str:
    """The BCP-47 primary language tag of a language name or tag, ISO 639-1 when the
    language has one ("English", "en-GB", "eng", "ger", Tesseract's "chi_sim" -> "en",
    "en", "en", "de", "zh"); ``default`` for anything else."""
    if not name:
        return default
    value = name.strip().lower()
    if value in NAMES:
        return NAMES[value]
    code = value.replace("_", "-").split("-")[0]
    code = ISO_639_2.get(code, code)
    return code if re.fullmatch(r"[a-z]{2,3}", code) else default


def split_long(title: str, text: str, words: int = PART_WORDS) -> list[tuple[str, str]]:
    """A headingless text as parts of about ``words`` words, cut at paragraph ends."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    parts: list[list[str]] = [[]]
    count = 0
    for paragraph in paragraphs:
        if count >= words:
            parts.append([])
            count = 0
        parts[-1].append(paragraph)
        count += len(paragraph.split())
    if len(parts) == 1:
        return [(title, "\n\n".join(parts[0]))]
    return [(f"Part {n}", "\n\n".join(p)) for n, p in enumerate(parts, 1)]


def normalize(text: str) -> str:
    """NFC, ligatures (fi, fl, ...) spelled out, soft hyphens removed."""
    text = unicodedata.normalize("NFC", text)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return text.replace("\u00ad", "")


_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}  # fmt: skip
