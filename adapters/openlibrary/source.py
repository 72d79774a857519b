"""OpenLibraryBookMetadataSource: editions by ISBN, their authors, work and sibling editions.

Calls: ``/isbn/{isbn13}.json`` (answers with a redirect to ``/books/{id}.json``, which the
client follows), ``/authors/{id}.json`` per author, ``/works/{id}.json`` only when the edition
names no author, and ``/works/{id}/editions.json`` for other editions.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from adapters.http_client import get_json
from adapters.openlibrary.languages import marc_to_iso639_1
from adapters.publish_dates import parse_publish_date
from domain.book import DEFAULT_LANGUAGE, Edition
from domain.errors import BookNotFound, InvalidIsbn, UpstreamError
from domain.isbn import Isbn

if TYPE_CHECKING:
    import httpx

    from adapters.http_client import Sleep
    from adapters.resilience import RetryPolicy

T = TypeVar("T")
DEFAULT_COVERS_BASE_URL = "https://covers.openlibrary.org"


class _Ref(msgspec.Struct):
    key: str


class _TocEntry(msgspec.Struct):
    title: str | None = None


class _Record(msgspec.Struct):
    """The fields of an Open Library edition record we use."""

    title: str = ""
    authors: list[_Ref] = []
    works: list[_Ref] = []
    languages: list[_Ref] = []
    publishers: list[str] = []
    publish_date: str | None = None
    number_of_pages: int | None = None
    covers: list[int | None] = []
    isbn_10: list[str] = []
    isbn_13: list[str] = []
    edition_name: str | None = None
    table_of_contents: list[_TocEntry | str] = []
    subjects: list[Any] = []


class _Author(msgspec.Struct):
    name: str = ""
    personal_name: str = ""


class _WorkAuthor(msgspec.Struct):
    author: _Ref | None = None


class _Work(msgspec.Struct):
    authors: list[_WorkAuthor] = []


class _Editions(msgspec.Struct):
    entries: list[_Record] = []


def _convert(raw: Any, kind: type[T], what: str) -> T:
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        raise UpstreamError(f"{what}: unexpected answer: {exc}") from exc


def _isbns(record: _Record) -> list[Isbn]:
    """The record's valid ISBNs, ISBN-13 first, without duplicates."""
    found: list[Isbn] = []
    for text in (*record.isbn_13, *record.isbn_10):
        try:
            isbn = Isbn.parse(text)
        except InvalidIsbn:
            continue
        if isbn not in found:
            found.append(isbn)
    return found


def _last_segment(key: str) -> str:
    return key.rstrip("/").rsplit("/", 1)[-1]


class OpenLibraryBookMetadataSource:
    """Looks books up in Open Library (or any server with its API at ``base_url``).

    ``work_key`` of the editions it returns is the bare Open Library work id ("OL45804W").
    An edition whose record names no language is taken to be in English (the domain default).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        policy: RetryPolicy,
        *,
        covers_base_url: str = DEFAULT_COVERS_BASE_URL,
        editions_limit: int = 50,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._policy = policy
        self._covers = covers_base_url.rstrip("/")
        self._editions_limit = editions_limit
        self._sleep = sleep

    async def _get(self, path: str, what: str, params: dict[str, str] | None = None) -> Any:
        return await get_json(
            self._client,
            f"{self._base}{path}",
            policy=self._policy,
            what=f"Open Library {what}",
            params=params,
            sleep=self._sleep,
        )

    async def lookup(self, isbn: Isbn) -> Edition:
        """The edition with this ISBN, its authors' names resolved.

        Raises:
            BookNotFound: Open Library has no (titled) edition with this ISBN.
            UpstreamError: a malformed answer; TransientUpstreamError after the retries.
        """
        what = f"edition {isbn.isbn13}"
        record = _convert(await self._get(f"/isbn/{isbn.isbn13}.json", what), _Record, what)
        if not record.title.strip():
            raise BookNotFound(f"Open Library {what} has no title")
        authors = await self._author_names(record)
        return self._edition(record, isbn, authors, DEFAULT_LANGUAGE)

    async def other_editions(self, edition: Edition) -> list[Edition]:
        """Other editions of ``edition``'s work that carry an ISBN and a known language.

        They share ``edition``'s authors (same work), so no author is fetched again.
        """
        if not edition.work_key:
            return []
        what = f"editions of work {edition.work_key}"
        path = f"/works/{edition.work_key}/editions.json"
        try:
            raw = await self._get(path, what, {"limit": str(self._editions_limit)})
        except BookNotFound:
            return []
        others: list[Edition] = []
        seen = {edition.isbn}
        for record in _convert(raw, _Editions, what).entries:
            isbns = _isbns(record)
            if not isbns or isbns[0] in seen or not record.title.strip():
                continue
            if not record.languages or marc_to_iso639_1(record.languages[0].key) is None:
                continue  # unknown language: grouping it could merge two translations
            seen.add(isbns[0])
            others.append(self._edition(record, isbns[0], edition.authors, edition.language))
        return others

    def _edition(
        self, record: _Record, isbn: Isbn, authors: tuple[str, ...], fallback_language: str
    ) -> Edition:
        language = next(
            (code for ref in record.languages if (code := marc_to_iso639_1(ref.key))),
            fallback_language,
        )
        covers = [c for c in record.covers if c is not None and c > 0]
        toc = (e if isinstance(e, str) else e.title or "" for e in record.table_of_contents)
        return Edition(
            isbn=isbn,
            title=record.title.strip(),
            authors=authors,
            language=language,
            publisher=record.publishers[0].strip() if record.publishers else None,
            publish_date=parse_publish_date(record.publish_date),
            pages=record.number_of_pages if record.number_of_pages else None,
            cover_url=f"{self._covers}/b/id/{covers[0]}-L.jpg" if covers else None,
            work_key=_last_segment(record.works[0].key) if record.works else None,
            edition_name=record.edition_name or None,
            table_of_contents=tuple(t.strip() for t in toc if t.strip()),
            other_isbns=tuple(i for i in _isbns(record) if i != isbn),
            subjects=tuple(s.strip() for s in record.subjects if isinstance(s, str) and s.strip()),
        )

    async def _author_names(self, record: _Record) -> tuple[str, ...]:
        """Names of the edition's authors, or of its work's when the edition names none."""
        keys = [_last_segment(ref.key) for ref in record.authors]
        if not keys and record.works:
            work_id = _last_segment(record.works[0].key)
            try:
                raw = await self._get(f"/works/{work_id}.json", f"work {work_id}")
            except BookNotFound:
                return ()
            work = _convert(raw, _Work, f"work {work_id}")
            keys = [_last_segment(a.author.key) for a in work.authors if a.author]
        names = await asyncio.gather(*(self._author_name(key) for key in keys))
        return tuple(name for name in names if name)

    async def _author_name(self, author_id: str) -> str | None:
        what = f"author {author_id}"
        try:
            author = _convert(await self._get(f"/authors/{author_id}.json", what), _Author, what)
        except BookNotFound:
            return None
        return (author.name or author.personal_name).strip() or None
