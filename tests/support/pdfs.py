"""A tiny PDF writer for tests: pages of Helvetica lines (each with its font size), an
optional outline, an optional /Lang, an optional (unopenable) standard-security encryption
dictionary."""

from __future__ import annotations

Line = tuple[float, str]  # (font size, text)


def _escape(text: str) -> bytes:
    data = text.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(
    pages: list[list[Line]],
    outline: list[tuple[str, int, int]] | None = None,
    *,
    encrypted: bool = False,
    lang: str | None = None,
) -> bytes:
    """A PDF of ``pages``; ``outline`` entries are (title, page index, level 0|1);
    ``lang`` is the catalog's /Lang."""
    objects: dict[int, bytes] = {}
    font, pages_id = 3, 2
    page_ids: list[int] = []
    next_id = 4
    for lines in pages:
        stream = b""
        y = 780.0
        for size, text in lines:
            y -= size * 1.5
            stream += b"BT /F1 %.1f Tf 72 %.1f Td (%s) Tj ET\n" % (size, y, _escape(text))
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % content_id
        )
        page_ids.append(page_id)
    objects[font] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[pages_id] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if outline:
        root_id = next_id
        item_ids = list(range(root_id + 1, root_id + 1 + len(outline)))
        next_id = root_id + 1 + len(outline)
        tops = [i for i, (_, _, level) in enumerate(outline) if level == 0]
        for index, (title, page, level) in enumerate(outline):
            if level == 0:
                parent = root_id
                siblings = tops
            else:
                parent_index = max(t for t in tops if t < index)
                parent = item_ids[parent_index]
                stop = min([t for t in tops if t > parent_index] + [len(outline)])
                siblings = list(range(parent_index + 1, stop))
            position = siblings.index(index)
            entry = b"<< /Title (%s) /Parent %d 0 R /Dest [%d 0 R /XYZ 0 792 0]" % (
                _escape(title),
                parent,
                page_ids[page],
            )
            if position > 0:
                entry += b" /Prev %d 0 R" % item_ids[siblings[position - 1]]
            if position + 1 < len(siblings):
                entry += b" /Next %d 0 R" % item_ids[siblings[position + 1]]
            if level == 0:
                stop = min([t for t in tops if t > index] + [len(outline)])
                children = list(range(index + 1, stop))
                if children:
                    entry += b" /First %d 0 R /Last %d 0 R /Count %d" % (
                        item_ids[children[0]],
                        item_ids[children[-1]],
                        len(children),
                    )
            objects[item_ids[index]] = entry + b" >>"
        objects[root_id] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (
            item_ids[tops[0]],
            item_ids[tops[-1]],
            len(tops),
        )
        catalog += b" /Outlines %d 0 R" % root_id
    if lang is not None:
        catalog += b" /Lang (%s)" % _escape(lang)
    objects[1] = catalog + b" >>"
    trailer_extra = b""
    if encrypted:
        encrypt_id = next_id
        next_id += 1
        objects[encrypt_id] = b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s> >>" % (
            b"11" * 32,
            b"22" * 32,
        )
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt_id, b"ab" * 16, b"ab" * 16)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets.get(number, 0)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        trailer_extra,
        xref,
    )
    return bytes(out)


def scanned_pdf(pages: list[list[Line]], scale: float = 2.0) -> bytes:
    """A PDF whose pages are only pictures of text (like a scan): ``pages`` typeset, each
    rendered to a grey image, the images placed on pages without any text layer."""
    import zlib

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(make_pdf(pages))
    images = []
    for page in document:
        bitmap = page.render(scale=scale, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        data = bytes(bitmap.buffer)
        rows = b"".join(data[y * stride : y * stride + width] for y in range(height))
        images.append((width, height, zlib.compress(rows)))
    document.close()
    objects: dict[int, bytes] = {}
    page_ids = []
    next_id = 3
    for width, height, data in images:
        image_id, content_id, page_id = next_id, next_id + 1, next_id + 2
        next_id += 3
        objects[image_id] = (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, len(data), data)
        )
        draw = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /XObject << /Im1 %d 0 R >> >> >>" % (content_id, image_id)
        )
        page_ids.append(page_id)
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
