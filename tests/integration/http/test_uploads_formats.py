"""POST /api/v1/uploads with HTML, FB2 (plain and zipped), DOCX, MOBI and AZW3 books: each is
sniffed from its bytes and read in a child process; refused ones get their code."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.http.test_uploads import stored_files, upload
from tests.support.books import (
    COVER,
    entity_bomb,
    fb2,
    fb2_paragraphs,
    paragraphs,
    word_paragraph,
    word_paragraphs,
    zipped,
)
from tests.support.books import docx as make_docx

if TYPE_CHECKING:
    from litestar.testing import AsyncTestClient

BOOKS = Path(__file__).resolve().parents[2] / "fixtures" / "books"
CAROL = [
    "Preface",
    "Stave I: Marley\u2019s Ghost",
    "Stave II: The First of the Three Spirits",
    "Stave III: The Second of the Three Spirits",
    "Stave IV: The Last of the Spirits",
    "Stave V: The End of It",
]


def html() -> bytes:
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Deux chapitres</title>"
        "<meta name='author' content='Bo Auteur'></head><body><h1>Deux chapitres</h1>"
        "<h2>Chapitre 1</h2>"
        + paragraphs(2)
        + "<h2>Chapitre 2</h2>"
        + paragraphs(2)
        + "</body></html>"
    ).encode()


def fb2_book() -> str:
    return fb2(
        "<section><title><p>Chapter 1</p></title>" + fb2_paragraphs(2) + "</section>"
        "<section><title><p>Chapter 2</p></title>" + fb2_paragraphs(2) + "</section>"
    )


def docx() -> bytes:
    return make_docx(
        word_paragraph("Chapter 1", "Heading1")
        + word_paragraphs(2)
        + word_paragraph("Chapter 2", "Heading1")
        + word_paragraphs(2)
    )


@pytest.mark.parametrize(
    ("make", "fmt", "titles", "meta"),
    [
        (html, "html", ["Chapitre 1", "Chapitre 2"], ("Deux chapitres", "Bo Auteur", "fr")),
        (lambda: fb2_book().encode(), "fb2", ["Chapter 1", "Chapter 2"], None),
        (lambda: zipped({"book.fb2": fb2_book()}), "fb2", ["Chapter 1", "Chapter 2"], None),
        (docx, "docx", ["Chapter 1", "Chapter 2"], ("A Hand-Made Book", "Ada Writer", "en")),
        (lambda: (BOOKS / "a-christmas-carol.mobi").read_bytes(), "mobi", CAROL, None),
        (lambda: (BOOKS / "a-christmas-carol.azw3").read_bytes(), "mobi", CAROL, None),
    ],
    ids=["html", "fb2", "fb2-zip", "docx", "mobi7", "azw3"],
)
async def test_each_format_is_sniffed_and_its_chapters_detected(
    client: AsyncTestClient[Any],
    auth: dict[str, str],
    make: Any,
    fmt: str,
    titles: list[str],
    meta: tuple[str, str, str] | None,
) -> None:
    data = make()
    response = await upload(client, auth, data, "book.bin")  # the name does not decide
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == fmt
    assert [c["title"] for c in body["chapters"]] == titles
    assert all(c["words"] > 50 for c in body["chapters"])
    if meta is not None:
        assert (body["title"], body["author"], body["language"]) == meta
    again = await client.get(f"/api/v1/uploads/{body['upload_id']}", headers=auth)
    assert again.status_code == 200 and again.json() == body


async def test_a_kindle_books_cover_is_kept(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    body = (await upload(client, auth, (BOOKS / "a-christmas-carol.azw3").read_bytes())).json()
    cover = await client.get(body["cover"], headers=auth)
    assert cover.status_code == 200 and cover.headers["content-type"] == "image/jpeg"
    assert cover.content.startswith(b"\xff\xd8")


async def test_an_fb2_cover_is_kept(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    import base64

    binary = f'<binary id="c" content-type="image/jpeg">{base64.b64encode(COVER).decode()}</binary>'
    book = fb2("<section>" + fb2_paragraphs(2) + "</section>", binaries=binary, cover="c")
    body = (await upload(client, auth, book.encode())).json()
    cover = await client.get(body["cover"], headers=auth)
    assert (cover.status_code, cover.content) == (200, COVER)


def mobi_with_drm() -> bytes:
    data = (BOOKS / "a-christmas-carol.mobi").read_bytes()
    (first,) = struct.unpack_from(">I", data, 78)
    return data[: first + 12] + b"\x00\x02" + data[first + 14 :]


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (mobi_with_drm, 422, "encrypted_file"),
        (lambda: (BOOKS / "a-christmas-carol.azw3").read_bytes()[:50_000], 422, "unreadable_file"),
        (
            lambda: fb2(
                "<section><p>&lol9;</p></section>", prolog=entity_bomb("FictionBook")
            ).encode(),
            422,
            "unreadable_file",
        ),
        (lambda: fb2_book().encode()[:600], 422, "unreadable_file"),  # cut short
        (
            lambda: make_docx(word_paragraphs(2), extra={"zeros.bin": bytes(30 * 1024 * 1024)}),
            422,
            "unreadable_file",
        ),
        (
            lambda: make_docx(word_paragraphs(2), main_type="application/vnd.ms-excel.main+xml"),
            415,
            "unsupported_format",
        ),
        (
            lambda: (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + bytes(600)
                + "EncryptedPackage".encode("utf-16-le")
            ),
            422,
            "encrypted_file",
        ),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), 415, "unsupported_format"),
        (lambda: b"<html><body><img src='scan.png'></body></html>", 422, "no_text"),
    ],
    ids=[
        "mobi-drm",
        "azw3-truncated",
        "fb2-xml-bomb",
        "fb2-truncated",
        "docx-zip-bomb",
        "xlsx",
        "docx-encrypted",
        "old-doc",
        "html-no-text",
    ],
)
async def test_refused_books_get_their_code_and_leave_nothing(
    client: AsyncTestClient[Any],
    auth: dict[str, str],
    tmp_path: Path,
    make: Any,
    status: int,
    code: str,
) -> None:
    response = await upload(client, auth, make())
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert stored_files(tmp_path) == []
