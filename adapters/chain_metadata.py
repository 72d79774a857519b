"""ChainBookMetadataSource: several metadata sources tried in order, gaps filled from the next."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from domain.errors import BookNotFound, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from application.books.ports import BookMetadataSource
    from domain.book import Edition
    from domain.isbn import Isbn

# Optional fields a later source may fill when the first hit lacks them. Language is not
# among them: an Edition always has one (the domain default when the source had none).
_FILLABLE = (
    "authors",
    "publisher",
    "publish_date",
    "pages",
    "cover_url",
    "work_key",
    "edition_name",
    "table_of_contents",
)


def _missing(edition: Edition) -> list[str]:
    return [name for name in _FILLABLE if not getattr(edition, name)]


def _fill(edition: Edition, donor: Edition) -> Edition:
    """``edition`` with its empty fields taken from ``donor``; other ISBNs merged."""
    changes: dict[str, Any] = {
        name: getattr(donor, name) for name in _missing(edition) if getattr(donor, name)
    }
    extra = [i for i in donor.other_isbns if i not in edition.other_isbns and i != edition.isbn]
    if extra:
        changes["other_isbns"] = (*edition.other_isbns, *extra)
    return replace(edition, **changes) if changes else edition


class ChainBookMetadataSource:
    """Asks each source in turn; the first edition found wins, completed by the next sources.

    ``lookup``: a source that answers BookNotFound *or fails* (UpstreamError, transient or
    not) hands over to the next one. When none finds the book, the first failure is raised if
    any source failed (the book may exist: a retry may find it), else BookNotFound. Once a
    source has found the edition, each later source is asked once to fill its empty fields
    (best effort: their errors are ignored), stopping as soon as nothing is missing.

    ``other_editions``: the union over all sources (deduplicated by ISBN). A failing source is
    skipped unless every source failed, in which case the first failure is raised.
    """

    def __init__(self, sources: Sequence[BookMetadataSource]) -> None:
        if not sources:
            raise ValueError("ChainBookMetadataSource needs at least one source")
        self._sources = tuple(sources)

    async def lookup(self, isbn: Isbn) -> Edition:
        """The edition with this ISBN from the first source that knows it."""
        failure: UpstreamError | None = None
        for index, source in enumerate(self._sources):
            try:
                edition = await source.lookup(isbn)
            except BookNotFound:
                continue
            except UpstreamError as exc:
                failure = failure or exc
                continue
            return await self._complete(edition, self._sources[index + 1 :])
        if failure is not None:
            raise failure
        raise BookNotFound(f"no metadata source knows ISBN {isbn.isbn13}")

    @staticmethod
    async def _complete(edition: Edition, donors: Sequence[BookMetadataSource]) -> Edition:
        for donor in donors:
            if not _missing(edition):
                break
            try:
                edition = _fill(edition, await donor.lookup(edition.isbn))
            except (BookNotFound, UpstreamError):
                continue
        return edition

    async def other_editions(self, edition: Edition) -> list[Edition]:
        """Other editions of the same work known to any source."""
        found: list[Edition] = []
        seen = {edition.isbn}
        failures: list[UpstreamError] = []
        for source in self._sources:
            try:
                editions = await source.other_editions(edition)
            except UpstreamError as exc:
                failures.append(exc)
                continue
            for other in editions:
                if other.isbn not in seen:
                    seen.add(other.isbn)
                    found.append(other)
        if failures and len(failures) == len(self._sources):
            raise failures[0]
        return found
