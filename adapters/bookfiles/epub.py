"""EPUB 2 and 3 books: metadata from the package, chapters from the table of contents.

Pure functions. Reading order is the spine. The nav document (EPUB 3) or the NCX
(EPUB 2) gives the chapters; each entry is cut at its anchor, so a file may hold several
chapters and a chapter may span files. Nested entries are flattened: a part whose own
page is tiny (a part-title page) is merged into its first chapter, whose title it
prefixes. Front and back matter (by epub:type, landmarks, or title) are skipped, and
entries with almost no text are merged into the next one. Without a usable table of
contents each spine document is a chapter.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urldefrag

from adapters.bookfiles.outline import Entry, chapters, until_gutenberg_end
from adapters.bookfiles.safezip import SafeZip, parse_xml
from adapters.bookfiles.text import language_code, squash
from adapters.bookfiles.xhtml import Document, parse_document
from application.uploads.ports import ExtractedBook, ExtractedChapter
from domain.errors import NoText, UnreadableFile

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
MAX_COVER_BYTES = 10 * 1024 * 1024


def read_epub(path: str, max_total: int, max_ratio: int) -> ExtractedBook:
    """The book in an EPUB file. Raises UnreadableFile, EncryptedFile, FileTooLarge or
    NoText."""
    archive = SafeZip(path, max_total=max_total, max_ratio=max_ratio)
    try:
        archive.check_not_encrypted()
        return _read(archive)
    finally:
        archive.close()


def _read(archive: SafeZip) -> ExtractedBook:
    container = parse_xml(archive.read("META-INF/container.xml"))
    rootfile = next((e.get("full-path") for e in container.iter("{*}rootfile")), None)
    if not rootfile:
        raise UnreadableFile("the EPUB names no package document")
    package = parse_xml(archive.read(rootfile))
    base = posixpath.dirname(rootfile)
    manifest = {item.get("id"): item for item in package.iter(f"{OPF}item") if item.get("href")}
    spine_hrefs: list[str] = []
    for ref in package.iter(f"{OPF}itemref"):
        item = manifest.get(ref.get("idref"))
        if (
            item is not None
            and ref.get("linear", "yes") != "no"
            and "html" in (item.get("media-type") or "")
        ):
            spine_hrefs.append(_join(base, item.get("href") or ""))
    documents = [parse_document(archive.read(href)) for href in spine_hrefs]
    position = {href: i for i, href in enumerate(spine_hrefs)}
    entries = _toc(archive, package, manifest, base, position, documents)
    book_title = _meta(package, "title") or "Untitled"
    found = chapters(entries, documents, book_title) if entries else []
    if len([c for c in found if c[1].strip()]) < 1:
        found = _by_document(documents)
    found = until_gutenberg_end(found)
    if not any(text.strip() for _, text in found):
        raise NoText("the EPUB holds no text")
    cover, cover_type = _cover(archive, package, manifest, base)
    return ExtractedBook(
        title=book_title,
        author=", ".join(_all_meta(package, "creator")) or "Unknown author",
        language=language_code(_meta(package, "language")),
        chapters=tuple(ExtractedChapter(n, t, x) for n, (t, x) in enumerate(found, 1) if x.strip()),
        cover=cover,
        cover_type=cover_type,
    )


def _join(base: str, href: str) -> str:
    return (
        posixpath.normpath(posixpath.join(base, unquote(href)))
        if base
        else posixpath.normpath(unquote(href))
    )


def _meta(package: object, name: str) -> str | None:
    values = _all_meta(package, name)
    return values[0] if values else None


def _all_meta(package: object, name: str) -> list[str]:
    return [
        text
        for e in package.iter(f"{DC}{name}")  # type: ignore[attr-defined]
        if (text := squash("".join(e.itertext())))
    ]


# --- the table of contents -----------------------------------------------------------------


def _toc(
    archive: SafeZip,
    package: object,
    manifest: dict[str | None, object],
    base: str,
    position: dict[str, int],
    documents: list[Document],
) -> list[Entry]:
    """The nav document's toc (EPUB 3), else the NCX's navMap (EPUB 2), flattened."""
    raw: list[tuple[str, str, int, bool]] = []  # (title, href, depth, has children)
    nav = next(
        (i for i in manifest.values() if "nav" in (i.get("properties") or "").split()),  # type: ignore[attr-defined]
        None,
    )
    if nav is not None:
        href = _join(base, nav.get("href"))  # type: ignore[attr-defined]
        root = parse_xml(archive.read(href), recover=True)
        toc = next(
            (n for n in root.iter("{*}nav") if "toc" in (n.get(_EPUB_TYPE) or "").split()), None
        )
        if toc is not None:
            _nav_items(toc.find("{*}ol"), posixpath.dirname(href), 0, raw)
    if not raw:
        spine = next(package.iter(f"{OPF}spine"), None)  # type: ignore[attr-defined]
        ncx_item = manifest.get(spine.get("toc")) if spine is not None else None
        if ncx_item is None:
            ncx_item = next(
                (i for i in manifest.values()
                 if i.get("media-type") == "application/x-dtbncx+xml"),  # type: ignore[attr-defined]
                None,
            )  # fmt: skip
        if ncx_item is not None:
            href = _join(base, ncx_item.get("href"))  # type: ignore[attr-defined]
            root = parse_xml(archive.read(href), recover=True)
            nav_map = root.find(f"{NCX}navMap")
            if nav_map is not None:
                _ncx_points(nav_map, posixpath.dirname(href), 0, raw)
    entries = []
    for title, target, depth, has_children in raw:
        file, fragment = urldefrag(target)
        spine = position.get(file)
        if spine is None:
            continue  # a target outside the reading order (linear="no", or missing)
        doc = documents[spine]
        paragraph = doc.anchors.get(fragment, 0) if fragment else 0
        types = doc.types.get(fragment, frozenset()) if fragment else frozenset()
        types = types or doc.types.get("", frozenset())
        entries.append(Entry(title, spine, paragraph, depth, has_children, types))
    entries.sort(key=lambda e: (e.spine, e.paragraph))
    return entries


_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _nav_items(ol: object, base: str, depth: int, out: list[tuple[str, str, int, bool]]) -> None:
    if ol is None:
        return
    for li in ol.findall("{*}li"):  # type: ignore[attr-defined]
        link = li.find("{*}a")
        child = li.find("{*}ol")
        if link is not None and link.get("href"):
            title = squash("".join(link.itertext()))
            out.append((title, _join(base, link.get("href")), depth, child is not None))
        _nav_items(child, base, depth + 1, out)


def _ncx_points(
    parent: object, base: str, depth: int, out: list[tuple[str, str, int, bool]]
) -> None:
    for point in parent.findall(f"{NCX}navPoint"):  # type: ignore[attr-defined]
        label = point.find(f"{NCX}navLabel")
        content = point.find(f"{NCX}content")
        children = point.findall(f"{NCX}navPoint")
        if content is not None and content.get("src"):
            title = squash("".join(label.itertext())) if label is not None else ""
            out.append((title, _join(base, content.get("src")), depth, bool(children)))
        _ncx_points(point, base, depth + 1, out)


def _by_document(documents: list[Document]) -> list[tuple[str, str]]:
    """Each spine document a chapter (front and back matter skipped, tiny ones merged)."""
    entries = [
        Entry(doc.heading or doc.title or "", i, 0, 0, False, doc.types.get("", frozenset()))
        for i, doc in enumerate(documents)
    ]
    return chapters(entries, documents)


def _cover(
    archive: SafeZip, package: object, manifest: dict[str | None, object], base: str
) -> tuple[bytes | None, str | None]:
    """The cover image (EPUB 3 cover-image property, else the EPUB 2 cover meta)."""
    item = next(
        (i for i in manifest.values() if "cover-image" in (i.get("properties") or "").split()),  # type: ignore[attr-defined]
        None,
    )
    if item is None:
        meta = next(
            (m for m in package.iter(f"{OPF}meta") if m.get("name") == "cover"),  # type: ignore[attr-defined]
            None,
        )
        item = manifest.get(meta.get("content")) if meta is not None else None
    if item is None or item.get("media-type") not in _IMAGES:  # type: ignore[attr-defined]
        return None, None
    href = _join(base, item.get("href"))  # type: ignore[attr-defined]
    if not archive.has(href):
        return None, None
    data = archive.read(href)
    if len(data) > MAX_COVER_BYTES:
        return None, None
    return data, item.get("media-type")  # type: ignore[attr-defined]


__all__ = ["read_epub"]
