"""Small hand-made book files for tests: EPUB 2 (NCX) and EPUB 3 (nav) builders."""

from __future__ import annotations

import io
import zipfile

PARAGRAPH = (
    "It was the best of times, it was the worst of times, it was the age of wisdom, it "
    "was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity."
)
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
# The smallest valid JPEG-ish bytes are not needed: readers pass the cover through.
COVER = b"\xff\xd8\xff\xe0" + b"JFIF-cover" + bytes(32)


def xhtml(body: str, body_type: str = "bodymatter") -> str:
    """A content document around ``body``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f'<head><title>t</title></head><body epub:type="{body_type}">{body}</body></html>'
    )


def paragraphs(n: int = 3, tag: str = "") -> str:
    """``n`` paragraphs of about 36 words each, marked with ``tag``."""
    return "".join(f"<p>{tag} {PARAGRAPH}</p>" for _ in range(n))


def zip_epub(files: dict[str, str | bytes], *, mimetype_first: bool = True) -> bytes:
    """An EPUB archive of ``files`` (paths inside the zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype_first:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def opf(
    items: list[tuple[str, str, str]],
    spine: list[str],
    *,
    version: str = "3.0",
    title: str = "A Hand-Made Book",
    author: str = "Ada Writer",
    language: str = "en-GB",
    extra_meta: str = "",
) -> str:
    """A package document: ``items`` are (id, href, media-type[; properties])."""
    manifest = "".join(
        f'<item id="{i}" href="{h}" media-type="{m.split(";")[0]}"'
        + (f' properties="{m.split(";")[1]}"' if ";" in m else "")
        + "/>"
        for i, h, m in items
    )
    refs = "".join(
        f'<itemref idref="{s.split(":")[0]}"' + (' linear="no"' if s.endswith(":no") else "") + "/>"
        for s in spine
    )
    toc = ' toc="ncx"' if any(i == "ncx" for i, _, _ in items) else ""
    return (
        f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<dc:language>{language}</dc:language>{extra_meta}</metadata>"
        f"<manifest>{manifest}</manifest><spine{toc}>{refs}</spine></package>"
    )


def epub3() -> bytes:
    """EPUB 3: a cover image, a titlepage and a copyright page, a tiny part page, two
    chapters in one file cut at their anchors, a chapter spanning two files, and an
    endnotes page; a nested nav."""
    nav = xhtml(
        '<nav epub:type="toc"><ol>'
        '<li><a href="title.xhtml">Title Page</a></li>'
        '<li><a href="copyright.xhtml">Copyright</a></li>'
        '<li><a href="part1.xhtml">Part One: Beginnings</a><ol>'
        '<li><a href="ch.xhtml#c1"><span>I</span>: The First</a></li>'
        '<li><a href="ch.xhtml#c2">II: The Second</a></li>'
        "</ol></li>"
        '<li><a href="ch3a.xhtml">III: The Long One</a></li>'
        '<li><a href="notes.xhtml">Endnotes</a></li>'
        "</ol></nav>",
        body_type="frontmatter",
    )
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf(
            [
                ("nav", "nav.xhtml", "application/xhtml+xml;nav"),
                ("cover", "images/cover.jpg", "image/jpeg;cover-image"),
                ("title", "title.xhtml", "application/xhtml+xml"),
                ("copy", "copyright.xhtml", "application/xhtml+xml"),
                ("part1", "part1.xhtml", "application/xhtml+xml"),
                ("ch", "ch.xhtml", "application/xhtml+xml"),
                ("ch3a", "ch3a.xhtml", "application/xhtml+xml"),
                ("ch3b", "ch3b.xhtml", "application/xhtml+xml"),
                ("notes", "notes.xhtml", "application/xhtml+xml"),
            ],
            ["nav:no", "title", "copy", "part1", "ch", "ch3a", "ch3b", "notes"],
        ),
        "OEBPS/nav.xhtml": nav,
        "OEBPS/images/cover.jpg": COVER,
        "OEBPS/title.xhtml": xhtml("<h1>A Hand-Made Book</h1><p>Ada Writer</p>", "frontmatter"),
        "OEBPS/copyright.xhtml": xhtml(
            '<section epub:type="copyright-page">' + paragraphs(3, "COPYRIGHT") + "</section>",
            "frontmatter",
        ),
        "OEBPS/part1.xhtml": xhtml('<section epub:type="part"><h2>Part One</h2></section>'),
        "OEBPS/ch.xhtml": xhtml(
            '<section id="c1"><h2>I</h2>'
            + paragraphs(3, "ONE")
            + '<p>Before the picture <img src="images/cover.jpg" alt="x"/> after the picture.</p>'
            + '</section><section id="c2"><h2>II</h2>'
            + paragraphs(3, "TWO")
            + "</section>"
        ),
        "OEBPS/ch3a.xhtml": xhtml("<h2>III</h2>" + paragraphs(2, "THREE-A")),
        "OEBPS/ch3b.xhtml": xhtml(paragraphs(2, "THREE-B")),
        "OEBPS/notes.xhtml": xhtml(
            '<section epub:type="endnotes">' + paragraphs(3, "NOTE") + "</section>", "backmatter"
        ),
    }
    return zip_epub(files)


def epub2() -> bytes:
    """EPUB 2: an NCX with a contents page and a licence entry, the cover as <meta>."""
    ncx = (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        "<navMap>"
        '<navPoint id="n0"><navLabel><text>Contents</text></navLabel>'
        '<content src="text/toc.html"/></navPoint>'
        '<navPoint id="n1"><navLabel><text>Chapter 1. Arrival</text></navLabel>'
        '<content src="text/one.html"/></navPoint>'
        '<navPoint id="n2"><navLabel><text>Chapter 2. Departure</text></navLabel>'
        '<content src="text/one.html#ch2"/></navPoint>'
        '<navPoint id="n3"><navLabel><text>The Full Project Gutenberg License</text>'
        '</navLabel><content src="text/licence.html"/></navPoint>'
        "</navMap></ncx>"
    )
    page = (
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN"'
        ' "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>{}'
        "</body></html>"
    )
    files: dict[str, str | bytes] = {
        "OEBPS/content.opf": opf(
            [
                ("ncx", "toc.ncx", "application/x-dtbncx+xml"),
                ("cov", "cover.png", "image/png"),
                ("toc", "text/toc.html", "application/xhtml+xml"),
                ("one", "text/one.html", "application/xhtml+xml"),
                ("lic", "text/licence.html", "application/xhtml+xml"),
            ],
            ["toc", "one", "lic"],
            version="2.0",
            title="Two Chapters",
            author="Bo Author",
            language="fr",
            extra_meta='<meta name="cover" content="cov"/>',
        ),
        "OEBPS/toc.ncx": ncx,
        "OEBPS/cover.png": b"\x89PNG\r\n\x1a\n" + bytes(16),
        "OEBPS/text/toc.html": page.format(
            "<h1>Contents</h1>" + "".join(f"<p>Chapter {i} ... {i * 7}</p>" for i in range(40))
        ),
        "OEBPS/text/one.html": page.format(
            "<h1>Chapter 1. Arrival</h1>"
            + paragraphs(2, "ARRIVAL")
            + '<h1 id="ch2">Chapter 2. Departure</h1>'
            + paragraphs(2, "DEPARTURE")
        ),
        "OEBPS/text/licence.html": page.format(paragraphs(5, "LICENCE")),
    }
    return zip_epub(files)


# --- FB2 and DOCX --------------------------------------------------------------------------

FB2_NS = 'xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" xmlns:l="http://www.w3.org/1999/xlink"'


def fb2(
    body: str, *, notes: str = "", binaries: str = "", cover: str = "", prolog: str = ""
) -> str:
    """A FictionBook document: Ada Writer's "A Hand-Made Book" in English, ``body`` as its
    main body, ``notes`` as a notes body."""
    coverpage = f'<coverpage><image l:href="#{cover}"/></coverpage>' if cover else ""
    notes_body = f'<body name="notes">{notes}</body>' if notes else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<FictionBook {FB2_NS}><description>'
        "<title-info><genre>prose</genre><author><first-name>Ada</first-name>"
        "<last-name>Writer</last-name></author><book-title>A Hand-Made Book</book-title>"
        f"{coverpage}<lang>en</lang></title-info></description>"
        f"<body>{body}</body>{notes_body}{binaries}</FictionBook>"
    )


def fb2_paragraphs(n: int = 3, tag: str = "") -> str:
    """``n`` FB2 paragraphs of about 36 words each, marked with ``tag``."""
    return "".join(f"<p>{tag} {PARAGRAPH}</p>" for _ in range(n))


def zipped(files: dict[str, str | bytes]) -> bytes:
    """A zip archive of ``files``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_STYLES = (
    f'<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="de-DE"/></w:rPr>'
    "</w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>'
    "</w:styles>"
)


def word_paragraph(text: str, style: str = "", runs: str = "") -> str:
    """A ``w:p`` with ``text`` in one run (and extra ``runs``), in paragraph style ``style``."""
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{runs}</w:p>'


def word_paragraphs(n: int = 3, tag: str = "") -> str:
    """``n`` body paragraphs of about 36 words each, marked with ``tag``."""
    return "".join(word_paragraph(f"{tag} {PARAGRAPH}") for _ in range(n))


def docx(
    body: str,
    *,
    styles: str | None = WORD_STYLES,
    core: str | None = (
        "<dc:title>A Hand-Made Book</dc:title><dc:creator>Ada Writer</dc:creator>"
        "<dc:language>en-GB</dc:language>"
    ),
    main_type: str = DOCX_MAIN,
    prolog: str = "",
    extra: dict[str, str | bytes] | None = None,
) -> bytes:
    """A Word document whose body is ``body`` (``w:p`` and ``w:tbl`` elements)."""
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
        ),
        "word/document.xml": f"{prolog}<w:document {W_NS}><w:body>{body}</w:body></w:document>",
    }
    if styles is not None:
        files["word/styles.xml"] = styles
    if core is not None:
        files["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"{core}</cp:coreProperties>"
        )
    return zipped({**files, **(extra or {})})


def entity_bomb(root: str = "lolz") -> str:
    """A DOCTYPE declaring a billion-laughs entity ``&lol9;`` (never to be expanded)."""
    return (
        f'<!DOCTYPE {root} [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
