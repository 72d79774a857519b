"""Books, the ISBNs that point at them, and the edition metadata they are built from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from domain.isbn import Isbn, IsbnType

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Edition:
    """One published edition of a work, as a metadata source describes it."""

    isbn: Isbn
    title: str
    authors: tuple[str, ...] = ()
    language: str = DEFAULT_LANGUAGE
    publisher: str | None = None
    publish_date: date | None = None
    pages: int | None = None
    cover_url: str | None = None
    work_key: str | None = None
    edition_name: str | None = None
    table_of_contents: tuple[str, ...] = ()
    other_isbns: tuple[Isbn, ...] = ()
    subjects: tuple[str, ...] = ()  # the source's subjects or categories (genres come from them)

    @property
    def author(self) -> str:
        """All authors as one display string."""
        return ", ".join(self.authors) or "Unknown author"

    def is_newer_than(self, other: Edition | Book) -> bool:
        """True when this edition was published after ``other`` (unknown dates lose)."""
        if self.publish_date is None:
            return False
        return other.publish_date is None or self.publish_date > other.publish_date


@dataclass(frozen=True, slots=True)
class BookIsbn:
    """One known ISBN (in the form it was written) of a book."""

    isbn: str
    isbn_type: IsbnType
    book_id: UUID

    @staticmethod
    def all_for(book_id: UUID, isbn: Isbn) -> list[BookIsbn]:
        """Rows for both forms of ``isbn``: the ISBN-13 and, if it has one, the ISBN-10."""
        rows = [BookIsbn(isbn.isbn13, IsbnType.ISBN13, book_id)]
        if isbn.isbn10 is not None:
            rows.append(BookIsbn(isbn.isbn10, IsbnType.ISBN10, book_id))
        return rows


@dataclass(frozen=True, slots=True)
class Book:
    """One work in one language, carrying the latest known edition's metadata."""

    id: UUID
    title: str
    author: str
    language: str
    created_at: datetime
    updated_at: datetime
    work_key: str | None = None
    edition: str | None = None
    publisher: str | None = None
    pages: int | None = None
    publish_date: date | None = None
    cover_url: str | None = None
    isbns: tuple[str, ...] = field(default=())
    owner_id: UUID | None = None  # set for a book made from an upload: only its owner sees it

    def visible_to(self, viewer_id: UUID | None) -> bool:
        """True for a shared (ISBN) book, or for the owner of a book made from an upload."""
        return self.owner_id is None or self.owner_id == viewer_id

    @classmethod
    def from_edition(cls, book_id: UUID, edition: Edition, now: datetime) -> Book:
        """A new book described by ``edition``."""
        return cls(
            id=book_id,
            title=edition.title,
            author=edition.author,
            language=edition.language,
            created_at=now,
            updated_at=now,
            work_key=edition.work_key,
            edition=edition.edition_name,
            publisher=edition.publisher,
            pages=edition.pages,
            publish_date=edition.publish_date,
            cover_url=edition.cover_url,
        )

    def with_edition(self, edition: Edition, now: datetime) -> Book:
        """This book, updated to ``edition``'s metadata if that edition is newer."""
        if not edition.is_newer_than(self):
            return self
        return replace(
            self,
            title=edition.title,
            author=edition.author,
            edition=edition.edition_name,
            publisher=edition.publisher,
            pages=edition.pages,
            publish_date=edition.publish_date,
            cover_url=edition.cover_url or self.cover_url,
            work_key=self.work_key or edition.work_key,
            updated_at=now,
        )
