"""Uploads: a book file a user sent, its sniffed format and the chapters found in it."""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.errors import ValidationFailed

WORDS_PER_MINUTE = 155  # a narrator's pace
CHARACTERS_PER_TOKEN = 4  # a language model's tokens, roughly, in English
_EPUB_MIMETYPE = b"mimetypeapplication/epub+zip"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


class BookFormat(enum.StrEnum):
    """The file formats a book can be read from."""

    EPUB = "epub"
    PDF = "pdf"
    TXT = "txt"
    HTML = "html"
    FB2 = "fb2"
    DOCX = "docx"
    MOBI = "mobi"


def sniff_format(head: bytes) -> BookFormat | None:
    """The format of a file from its first bytes (4 KiB is plenty), or None when unknown.

    Zips: EPUB when the first entry is the stored ``mimetype`` file; FB2 when the first
    entry is a ``.fb2``; DOCX when an entry is ``[Content_Types].xml`` or under ``word/``
    (the reader refuses other Office files). An OLE container is DOCX too: a
    password-protected .docx is one (the reader refuses an old .doc as unsupported).
    MOBI/AZW3: a PalmDB of type ``BOOKMOBI``. PDF: ``%PDF-`` within the first KiB (the
    spec allows leading junk). Markup: FB2 opens with ``<FictionBook``, HTML with a
    doctype or ``<html``. TXT: UTF-8 (or UTF-16 with a BOM) text without control
    characters.
    """
    if head.startswith(_ZIP):
        return _zip_format(head)
    if head.startswith(_OLE):
        return BookFormat.DOCX
    if head[60:68] == b"BOOKMOBI":
        return BookFormat.MOBI
    if b"%PDF-" in head[:1024]:
        return BookFormat.PDF
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _markup(head.decode("utf-16", "ignore")) or BookFormat.TXT
    text = head.removeprefix(b"\xef\xbb\xbf")
    if not text.strip():
        return None
    markup = _markup(text.decode("latin-1"))  # the markup is ASCII in any 8-bit encoding
    if markup is not None:
        return markup
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(text) - 3:  # not just a character cut at the end of the head
            return _latin1_text(text)
        decoded = text[: error.start].decode("utf-8")
    if any(ord(c) in _TEXT_CONTROL for c in decoded):
        return None
    return BookFormat.TXT


def _zip_format(head: bytes) -> BookFormat | None:
    if head[30:58] == _EPUB_MIMETYPE:
        return BookFormat.EPUB
    names = _zip_names(head)
    if names and names[0].lower().endswith(b".fb2"):
        return BookFormat.FB2
    if any(n == b"[Content_Types].xml" or n.startswith(b"word/") for n in names):
        return BookFormat.DOCX
    return None


def _zip_names(head: bytes) -> list[bytes]:
    """The names of the zip entries whose local headers start within ``head``."""
    names: list[bytes] = []
    offset = 0
    while head[offset : offset + 4] == _ZIP and offset + 30 <= len(head):
        (flags,) = struct.unpack_from("<H", head, offset + 6)
        (size,) = struct.unpack_from("<I", head, offset + 18)
        name_length, extra_length = struct.unpack_from("<HH", head, offset + 26)
        names.append(head[offset + 30 : offset + 30 + name_length])
        if flags & 0x08:  # the size follows the data: the next header cannot be found
            break
        offset += 30 + name_length + extra_length + size
    return names


def _markup(text: str) -> BookFormat | None:
    """FB2 or HTML from the first element after any XML declaration and comments."""
    rest = text.lstrip()
    while rest.startswith(("<?", "<!--")):
        closing = "?>" if rest.startswith("<?") else "-->"
        end = rest.find(closing)
        if end < 0:
            return None
        rest = rest[end + len(closing) :].lstrip()
    start = rest[:64].lower()
    if start.startswith(("<fictionbook", "<!doctype fictionbook")):
        return BookFormat.FB2
    if start.startswith(("<!doctype html", "<html")):
        return BookFormat.HTML
    return None


def _latin1_text(data: bytes) -> BookFormat | None:
    """Legacy 8-bit text (Latin-1/CP1252): printable bytes only."""
    if any(b in _TEXT_CONTROL or b == 0x7F for b in data):
        return None
    return BookFormat.TXT


@dataclass(frozen=True, slots=True)
class UploadChapter:
    """A chapter found in an upload: its number (from 1), title and length in words."""

    number: int
    title: str
    words: int


@dataclass(frozen=True, slots=True)
class UploadEstimate:
    """The size of the work an upload asks for (see ``Upload.estimate``)."""

    characters: int
    words: int
    llm_tokens: int
    speech_seconds: int


@dataclass(frozen=True, slots=True)
class Upload:
    """A book file stored for its owner, with what was detected in it."""

    id: UUID
    owner_id: UUID
    format: BookFormat
    filename: str
    size_bytes: int
    file_key: str
    title: str
    author: str
    language: str
    chapters: tuple[UploadChapter, ...]
    characters: int
    created_at: datetime
    cover_key: str | None = None
    book_id: UUID | None = None

    @property
    def words(self) -> int:
        """Words in every detected chapter."""
        return sum(c.words for c in self.chapters)

    def estimate(self) -> UploadEstimate:
        """How much work making this book is: characters to speak, tokens for the
        language model to read (summaries), and the length of a full narration."""
        return UploadEstimate(
            characters=self.characters,
            words=self.words,
            llm_tokens=-(-self.characters // CHARACTERS_PER_TOKEN),
            speech_seconds=round(self.words * 60 / WORDS_PER_MINUTE),
        )

    def with_book(self, book_id: UUID) -> Upload:
        """This upload, recorded as made into book ``book_id``."""
        return replace(self, book_id=book_id)


MAX_SOURCE_REF = 64


@dataclass(frozen=True, slots=True)
class UploadSelection:
    """Which chapters of an upload a job makes (None: every detected chapter)."""

    upload_id: UUID
    chapters: tuple[int, ...] | None = None

    @property
    def ref(self) -> str:
        """The job source ref: the upload id, then ``:`` and the chapters as ranges
        (``1-5,9``) when a subset was picked. Raises ValidationFailed when too long."""
        if self.chapters is None:
            return str(self.upload_id)
        ref = f"{self.upload_id}:{ranges(self.chapters)}"
        if len(ref) > MAX_SOURCE_REF:
            raise ValidationFailed(
                "too many separate chapter ranges: pick fewer ranges (like 1-5,9-12)"
            )
        return ref

    @classmethod
    def parse(cls, ref: str) -> UploadSelection:
        """The selection a job source ref names. Raises ValidationFailed."""
        upload, _, picked = ref.partition(":")
        try:
            upload_id = UUID(upload)
            chapters = parse_ranges(picked) if picked else None
        except ValueError:
            raise ValidationFailed(f"{ref!r} does not name an upload") from None
        return cls(upload_id, chapters)


def ranges(numbers: tuple[int, ...]) -> str:
    """Sorted numbers as ranges: (1, 2, 3, 5) -> "1-3,5"."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = previous = ordered[0]
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ",".join(parts)


def parse_ranges(text: str) -> tuple[int, ...]:
    """ "1-3,5" -> (1, 2, 3, 5). Raises ValueError."""
    numbers: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        low, high = int(first), int(last if dash else first)
        if low < 1 or high < low or high - low > 10_000:
            raise ValueError(f"bad chapter range {part!r}")
        numbers.update(range(low, high + 1))
    return tuple(sorted(numbers))


def upload_file_key(upload_id: UUID) -> str:
    """The storage key of an upload's original file."""
    return f"uploads/{upload_id}/original"


def chunk_audio_key(book_id: UUID, rendition_id: UUID, number: int, part: int) -> str:
    """The storage key of one spoken part of a chapter narrated in parts (kept until the
    chapter's MP3 is made, so a resumed job speaks only the parts still missing)."""
    return f"books/{book_id}/renditions/{rendition_id}/chapter-{number:03d}/part-{part:04d}.mp3"


AUDIOBOOK_FORMATS = ("m4b", "mp3")


def audiobook_segment_key(book_id: UUID, rendition_id: UUID, number: int) -> str:
    """The storage key of a chapter's piece of the whole-book M4B (its AAC encoding)."""
    return f"books/{book_id}/renditions/{rendition_id}/chapter-{number:03d}.m4a"


def audiobook_key(book_id: UUID, rendition_id: UUID, fmt: str) -> str:
    """The storage key of a rendition's whole-book file in format ``fmt`` (m4b or mp3)."""
    return f"books/{book_id}/renditions/{rendition_id}/audiobook.{fmt}"


def upload_cover_key(upload_id: UUID) -> str:
    """The storage key of an upload's cover image."""
    return f"uploads/{upload_id}/cover"


__all__ = [
    "AUDIOBOOK_FORMATS",
    "BookFormat",
    "Upload",
    "UploadChapter",
    "UploadEstimate",
    "UploadSelection",
    "audiobook_key",
    "audiobook_segment_key",
    "chunk_audio_key",
    "parse_ranges",
    "ranges",
    "sniff_format",
    "upload_cover_key",
    "upload_file_key",
]
