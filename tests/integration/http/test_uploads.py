"""POST/GET/DELETE /api/v1/uploads through the app (memory persistence, real readers in
child processes, the local upload store)."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.http.conftest import memory_container, memory_settings, register_and_login

if TYPE_CHECKING:
    from pathlib import Path

    from litestar.testing import AsyncTestClient

    from entrypoints.container import Container

PARAGRAPH = (
    "It was the best of times, it was the worst of times, it was the age of wisdom, it "
    "was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity."
)
BOOK = (
    "The Project Gutenberg eBook of Two Little Chapters\n\nTitle: Two Little Chapters\n\n"
    "Author: A. Writer\n\nLanguage: English\n\n"
    "*** START OF THE PROJECT GUTENBERG EBOOK TWO LITTLE CHAPTERS ***\n\n"
    f"CHAPTER I. The Start\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n\n"
    f"CHAPTER II. The Finish\n\n{PARAGRAPH}\n\n"
    "*** END OF THE PROJECT GUTENBERG EBOOK TWO LITTLE CHAPTERS ***\n\nLicence text here.\n"
).encode()


async def upload(
    client: AsyncTestClient[Any], auth: dict[str, str], data: bytes, name: str = "book.txt"
) -> Any:
    return await client.post(
        "/api/v1/uploads", files={"file": (name, data, "application/octet-stream")}, headers=auth
    )


def stored_files(tmp_path: Path) -> list[Path]:
    root = tmp_path / "uploads"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_text_book_is_stored_and_its_chapters_detected(
    client: AsyncTestClient[Any], auth: dict[str, str], tmp_path: Path
) -> None:
    response = await upload(client, auth, BOOK, "two.pdf")  # the name does not decide
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == "txt"
    assert (body["title"], body["author"], body["language"]) == (
        "Two Little Chapters",
        "A. Writer",
        "en",
    )
    assert [(c["number"], c["title"]) for c in body["chapters"]] == [
        (1, "Chapter I: The Start"),
        (2, "Chapter II: The Finish"),
    ]
    assert [c["words"] for c in body["chapters"]] == [72, 36]
    assert body["filename"] == "two.pdf" and body["size_bytes"] == len(BOOK)
    assert body["estimate"]["words"] == 108 and body["estimate"]["speech_seconds"] == 42
    assert body["cover"] is None and body["book_id"] is None
    assert [p.read_bytes() for p in stored_files(tmp_path)] == [BOOK]

    again = await client.get(f"/api/v1/uploads/{body['upload_id']}", headers=auth)
    assert again.status_code == 200 and again.json() == body


async def test_another_users_upload_is_not_found(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    other = await register_and_login(client, "eve@example.com")
    for method in ("GET", "DELETE"):
        response = await client.request(method, f"/api/v1/uploads/{upload_id}", headers=other)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "upload_not_found"
    assert (await client.get(f"/api/v1/uploads/{upload_id}", headers=auth)).status_code == 200


async def test_delete_removes_the_upload_and_its_file(
    client: AsyncTestClient[Any], auth: dict[str, str], tmp_path: Path
) -> None:
    upload_id = (await upload(client, auth, BOOK)).json()["upload_id"]
    assert (await client.delete(f"/api/v1/uploads/{upload_id}", headers=auth)).status_code == 204
    assert (await client.get(f"/api/v1/uploads/{upload_id}", headers=auth)).status_code == 404
    assert stored_files(tmp_path) == []


def not_a_book_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/list.xml", "<photos/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), 415, "unsupported_format"),
        (not_a_book_zip(), 415, "unsupported_format"),
        (b"", 422, "no_text"),
        (b"\n\n   \n\n", 415, "unsupported_format"),
    ],
)
async def test_refused_files_get_their_code_and_leave_nothing(
    client: AsyncTestClient[Any],
    auth: dict[str, str],
    tmp_path: Path,
    data: bytes,
    status: int,
    code: str,
) -> None:
    response = await upload(client, auth, data)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert stored_files(tmp_path) == []


async def test_a_file_over_the_limit_is_413_and_leaves_nothing(tmp_path: Path) -> None:
    from litestar.testing import AsyncTestClient

    from entrypoints.http.app import create_app

    container: Container = memory_container(memory_settings(tmp_path, max_upload_bytes=2048))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        response = await upload(client, auth, BOOK + b"x" * 4096)
        assert response.status_code == 413, response.text
        assert response.json()["error"]["code"] == "file_too_large"
        assert stored_files(tmp_path) == []
        assert (await upload(client, auth, BOOK[:2000])).status_code == 201


async def test_the_body_must_be_multipart_with_a_file_field(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    response = await client.post("/api/v1/uploads", content=BOOK, headers=auth)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    response = await client.post(
        "/api/v1/uploads", files={"book": ("b.txt", BOOK, "text/plain")}, headers=auth
    )
    assert response.status_code == 422
    assert "file" in response.json()["error"]["message"]
    two = [("file", ("a.txt", BOOK, "text/plain")), ("file", ("b.txt", BOOK, "text/plain"))]
    response = await client.post("/api/v1/uploads", files=two, headers=auth)
    assert response.status_code == 422
    assert "one file" in response.json()["error"]["message"]


async def test_uploads_need_authentication(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/v1/uploads", files={"file": ("b.txt", BOOK)})
    assert response.status_code == 401


async def test_an_epub_with_its_cover(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    from tests.support.books import COVER, epub3

    response = await upload(client, auth, epub3(), "book.bin")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["format"] == "epub"
    assert [c["title"] for c in body["chapters"]] == [
        "Part One: Beginnings \u2013 I: The First",
        "II: The Second",
        "III: The Long One",
    ]
    cover = await client.get(body["cover"], headers=auth)
    assert cover.status_code == 200
    assert (cover.content, cover.headers["content-type"]) == (COVER, "image/jpeg")


def encrypted_epub() -> bytes:
    from tests.support.books import opf, paragraphs, xhtml, zip_epub

    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
        'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></enc:EncryptedData></encryption>'
    )
    return zip_epub(
        {
            "META-INF/encryption.xml": encryption,
            "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
            "OEBPS/a.xhtml": xhtml(paragraphs(2)),
        }
    )


def bomb_epub() -> bytes:
    from tests.support.books import opf, paragraphs, xhtml, zip_epub

    return zip_epub(
        {
            "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
            "OEBPS/a.xhtml": xhtml(paragraphs(2)),
            "OEBPS/zeros.bin": bytes(30 * 1024 * 1024),
        }
    )


def images_only_epub() -> bytes:
    from tests.support.books import opf, xhtml, zip_epub

    return zip_epub(
        {
            "OEBPS/content.opf": opf([("a", "a.xhtml", "application/xhtml+xml")], ["a"]),
            "OEBPS/a.xhtml": xhtml('<p><img src="scan.jpg" alt=""/></p>'),
        }
    )


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (encrypted_epub, "encrypted_file"),
        (bomb_epub, "unreadable_file"),
        (images_only_epub, "no_text"),
        (lambda: encrypted_epub()[:-200], "unreadable_file"),  # truncated: corrupt
    ],
)
async def test_refused_epubs_get_422_with_their_code_and_leave_nothing(
    client: AsyncTestClient[Any], auth: dict[str, str], tmp_path: Path, make: Any, code: str
) -> None:
    response = await upload(client, auth, make())
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert stored_files(tmp_path) == []


async def test_a_pdf_with_an_outline(client: AsyncTestClient[Any], auth: dict[str, str]) -> None:
    from tests.support.pdfs import make_pdf

    body = [(11.0, PARAGRAPH) for _ in range(4)]
    pdf = make_pdf(
        [[(18, "Chapter 1. Up"), *body], [(18, "Chapter 2. Down"), *body]],
        [("Chapter 1. Up", 0, 0), ("Chapter 2. Down", 1, 0)],
    )
    response = await upload(client, auth, pdf, "scan.txt")
    assert response.status_code == 201, response.text
    assert response.json()["format"] == "pdf"
    assert [c["title"] for c in response.json()["chapters"]] == [
        "Chapter 1. Up",
        "Chapter 2. Down",
    ]


@pytest.mark.parametrize(
    ("kind", "code"),
    [("encrypted", "encrypted_file"), ("blank", "no_text"), ("corrupt", "unreadable_file")],
)
async def test_refused_pdfs(
    client: AsyncTestClient[Any], auth: dict[str, str], tmp_path: Path, kind: str, code: str
) -> None:
    from tests.support.pdfs import make_pdf

    data = {
        "encrypted": make_pdf([[(12, "secret")]], encrypted=True),
        "blank": make_pdf([[], []]),  # no text layer, and nothing for OCR to read
        "corrupt": b"%PDF-1.7\n" + b"garbage " * 100,
    }[kind]
    response = await upload(client, auth, data)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert stored_files(tmp_path) == []


async def test_a_scanned_pdf_is_read_by_ocr(
    client: AsyncTestClient[Any], auth: dict[str, str]
) -> None:
    from tests.support.pdfs import scanned_pdf

    body = [(11.0, "It was the best of times, it was the worst of times.") for _ in range(6)]
    pdf = scanned_pdf([[(18, "CHAPTER 1"), *body], [(18, "CHAPTER 2"), *body]])
    response = await upload(client, auth, pdf)
    assert response.status_code == 201, response.text
    assert [c["title"] for c in response.json()["chapters"]] == ["Chapter 1", "Chapter 2"]
    assert response.json()["chapters"][0]["words"] == 6 * 12


async def test_an_uploads_estimate_prices_a_narration_on_each_configured_engine(
    tmp_path: Path,
) -> None:
    from dependency_injector import providers
    from litestar.testing import AsyncTestClient

    from adapters.speech_engines import SpeechEngineRegistry
    from domain.prices import SPEECH_USD_PER_MILLION_CHARS
    from entrypoints.http.app import create_app
    from tests.integration.http.conftest import memory_container, memory_settings

    container = memory_container(memory_settings(tmp_path))
    priced = sorted(SPEECH_USD_PER_MILLION_CHARS)[:2]
    builders = container.making.speech_builders()
    registry = SpeechEngineRegistry(builders, default="memory", fallbacks=priced)
    container.making.speech_engines.override(providers.Object(registry))
    async with AsyncTestClient(app=create_app(container)) as client:
        auth = await register_and_login(client)
        body = (await upload(client, auth, BOOK)).json()
    estimate = body["estimate"]
    assert set(estimate["cost_usd"]) == {"memory", *priced}
    for engine in priced:
        per_char = SPEECH_USD_PER_MILLION_CHARS[engine] / 1e6
        assert estimate["cost_usd"][engine] == round(body["characters"] * per_char, 4)
    assert estimate["prices_as_of"]
