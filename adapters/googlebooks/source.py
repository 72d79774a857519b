"""GoogleBooksBookMetadataSource: one ``volumes?q=isbn:`` search per lookup."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.http_client import get_json
from adapters.publish_dates import parse_publish_date
from domain.book import DEFAULT_LANGUAGE, Edition
from domain.errors import BookNotFound, InvalidIsbn, UpstreamError
from domain.isbn import Isbn

if TYPE_CHECKING:
    import httpx

    from adapters.http_client import Sleep
    from adapters.resilience import RetryPolicy


class _Identifier(msgspec.Struct):
    type: str = ""
    identifier: str = ""


class _ImageLinks(msgspec.Struct, rename="camel"):
    thumbnail: str | None = None
    small_thumbnail: str | None = None


class _VolumeInfo(msgspec.Struct, rename="camel"):
    title: str = ""
    authors: list[str] = []
    publisher: str | None = None
    published_date: str | None = None
    industry_identifiers: list[_Identifier] = []
    page_count: int | None = None
    language: str | None = None
    image_links: _ImageLinks | None = None
    categories: list[str] = []


class _Volume(msgspec.Struct, rename="camel"):
    volume_info: _VolumeInfo = msgspec.field(default_factory=_VolumeInfo)


class _Volumes(msgspec.Struct, rename="camel"):
    total_items: int = 0
    items: list[_Volume] = []


def _isbns(info: _VolumeInfo) -> list[Isbn]:
    found: list[Isbn] = []
    for ident in info.industry_identifiers:
        if ident.type not in ("ISBN_13", "ISBN_10"):
            continue
        try:
            isbn = Isbn.parse(ident.identifier)
        except InvalidIsbn:
            continue
        if isbn not in found:
            found.append(isbn)
    return found


def _https(url: str | None) -> str | None:
    if url and url.startswith("http://"):
        return "https://" + url.removeprefix("http://")
    return url or None


class GoogleBooksBookMetadataSource:
    """Looks books up in Google Books (or any server with its API at ``base_url``).

    Google Books has no notion of a work, so its editions carry no ``work_key`` and
    ``other_editions`` is always empty. ``api_key`` is optional (keyless calls get a
    smaller quota).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str | None,
        policy: RetryPolicy,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._api_key = api_key
        self._policy = policy
        self._sleep = sleep

    async def lookup(self, isbn: Isbn) -> Edition:
        """The volume with this ISBN.

        Raises:
            BookNotFound: no (titled) volume has this ISBN.
            UpstreamError: a malformed answer; TransientUpstreamError after the retries.
        """
        what = f"Google Books volume {isbn.isbn13}"
        params = {"q": f"isbn:{isbn.isbn13}"}
        if self._api_key:
            params["key"] = self._api_key
        raw: Any = await get_json(
            self._client,
            f"{self._base}/volumes",
            policy=self._policy,
            what=what,
            params=params,
            sleep=self._sleep,
        )
        try:
            volumes = msgspec.convert(raw, _Volumes)
        except msgspec.ValidationError as exc:
            raise UpstreamError(f"{what}: unexpected answer: {exc}") from exc
        infos = [v.volume_info for v in volumes.items if v.volume_info.title.strip()]
        # A search may match loosely: prefer the volume that really carries this ISBN.
        info = next((i for i in infos if isbn in _isbns(i)), infos[0] if infos else None)
        if info is None:
            raise BookNotFound(f"{what}: not found")
        return self._edition(info, isbn)

    async def other_editions(self, edition: Edition) -> list[Edition]:
        """Always empty: Google Books does not group volumes into works."""
        return []

    @staticmethod
    def _edition(info: _VolumeInfo, isbn: Isbn) -> Edition:
        language = (info.language or "").split("-", 1)[0].strip().lower()
        links = info.image_links
        return Edition(
            isbn=isbn,
            title=info.title.strip(),
            authors=tuple(a.strip() for a in info.authors if a.strip()),
            language=language if len(language) == 2 else DEFAULT_LANGUAGE,
            publisher=(info.publisher or "").strip() or None,
            publish_date=parse_publish_date(info.published_date),
            pages=info.page_count or None,
            cover_url=_https(links.thumbnail or links.small_thumbnail) if links else None,
            other_isbns=tuple(i for i in _isbns(info) if i != isbn),
            subjects=tuple(c.strip() for c in info.categories if c.strip()),
        )
