"""ProduceUpload: the job that makes a book from an upload.

book (the uploader's own) -> chapters (text, or a summary of it) -> speech into the job's
rendition (each chapter's piece of the M4B encoded as soon as it is spoken) -> the whole
book as one M4B and one MP3 with chapter marks -> result.
``full`` narrates each chapter's text in parts cut at sentence ends; each spoken part
is stored at once, so an attempt after a crash speaks only the parts still missing,
then joins them into the chapter's MP3. ``summary``, ``explanation`` and
``summary_explanation`` ask the language model about the real text (a long chapter is
summarised in parts, then the part summaries are combined). Chapters already spoken in
the rendition are skipped. Progress counts parts (full) or chapters.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from application.books.speak_rendition import run_limited
from application.uploads.ports import AudiobookPart, AudiobookTags
from application.uploads.text import split_sentences
from domain.book import Book
from domain.chapter import Chapter
from domain.errors import Conflict, UploadNotFound
from domain.recipe import Mode
from domain.upload import (
    AUDIOBOOK_FORMATS,
    UploadSelection,
    audiobook_key,
    audiobook_segment_key,
    chunk_audio_key,
)

if TYPE_CHECKING:
    from application.books.ports import AudioStorage, Summarizer
    from application.books.speak_rendition import SpeakRendition
    from application.jobs.runner import JobAttempt
    from application.shared.ports import Clock, IdGenerator
    from application.uploads.ports import (
        AudiobookAssembler,
        AudioJoiner,
        ExtractedChapter,
        UploadBooksUnitOfWorkFactory,
        UploadStore,
    )
    from domain.rendition import ChapterAudio, Rendition
    from domain.upload import Upload

BOOK_READY = 5
CHAPTERS_DONE = 90


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """Tunables: characters per spoken part, per language-model request, chapters at once."""

    speech_part_chars: int = 2000
    model_part_chars: int = 24_000
    chapter_concurrency: int = 3


class _Progress:
    """Work done out of the total, written to the job as a percentage."""

    def __init__(self, attempt: JobAttempt, total: int) -> None:
        self.attempt = attempt
        self.total = max(total, 1)
        self.done = 0
        self.reused = 0  # parts found already spoken (by an earlier, interrupted attempt)

    async def step(self, what: str, amount: int = 1) -> None:
        self.done += amount
        share = (CHAPTERS_DONE - BOOK_READY) * min(self.done, self.total) // self.total
        await self.attempt.progress(BOOK_READY + share, what)


class ProduceUpload:
    """Run one attempt of a ``process_upload`` job and return the job's result."""

    def __init__(
        self,
        *,
        uow_factory: UploadBooksUnitOfWorkFactory,
        speak: SpeakRendition,
        summarizer: Summarizer,
        storage: AudioStorage,
        joiner: AudioJoiner,
        assembler: AudiobookAssembler,
        files: UploadStore,
        clock: Clock,
        ids: IdGenerator,
        limits: UploadLimits | None = None,
    ) -> None:
        self._uow = uow_factory
        self._speak = speak
        self._summarizer = summarizer
        self._storage = storage
        self._joiner = joiner
        self._assembler = assembler
        self._files = files
        self._clock = clock
        self._ids = ids
        self._limits = limits or UploadLimits()

    async def __call__(self, attempt: JobAttempt) -> dict[str, Any]:
        """Raises UploadNotFound (deleted meanwhile) or the speech/model errors."""
        job = attempt.job
        selection = UploadSelection.parse(job.source.ref)
        upload = await self._upload(selection, job.owner_id)
        book = await self._book(upload)
        await attempt.set_book(book.id)
        numbers = selection.chapters or tuple(c.number for c in upload.chapters)
        texts = [await self._text(upload, n) for n in numbers]
        await self._save_chapters(book, texts)
        await attempt.progress(BOOK_READY, f"book: {len(texts)} chapters")
        opened = await self._speak.open(book, job.recipe)
        todo = [t for t in texts if t.number not in opened.spoken]
        full = job.recipe.mode is Mode.FULL
        progress = _Progress(
            attempt,
            sum(len(self._parts(t.text)) for t in todo) if full else len(todo),
        )
        make = self._narrate if full else self._summarise

        async def chapter(text: ExtractedChapter) -> None:
            await attempt.check_active()
            audio = await make(book, opened.rendition, text, progress)
            await self._assembler.prepare(self._part(book, opened.rendition, text.title, audio))

        await run_limited(
            [functools.partial(chapter, t) for t in todo], self._limits.chapter_concurrency
        )
        await attempt.progress(CHAPTERS_DONE, "assembling the audiobook")
        await self._assemble(book, upload, opened.rendition)
        rendition = await self._speak.complete(opened.rendition)
        return {
            "book_id": str(book.id),
            "rendition_id": str(rendition.id),
            "upload_id": str(upload.id),
            "chapters": len(texts),
            "audiobook": list(AUDIOBOOK_FORMATS),
            "parts_reused": progress.reused,
        }

    # --- steps ----------------------------------------------------------------------------

    async def _upload(self, selection: UploadSelection, owner_id: Any) -> Upload:
        async with self._uow() as uow:
            upload = await uow.uploads.get(selection.upload_id)
        if upload is None or upload.owner_id != owner_id:
            raise UploadNotFound(f"upload {selection.upload_id} is gone")
        return upload

    async def _book(self, upload: Upload) -> Book:
        """The uploader's book made from this upload (made now the first time).

        Two first jobs for one upload (``full`` and ``summary`` submitted together) may
        both find no book: each makes one, but only the first claim on the upload counts.
        The loser's transaction is rolled back (its book with it) and it uses the winner's.
        """
        async with self._uow() as uow:
            stored = await uow.uploads.get(upload.id)
            if stored is not None and stored.book_id is None:
                book = self._new_book(upload)
                await uow.books.save(book)
                if await uow.uploads.claim_book(upload.id, book.id) == book.id:
                    try:
                        await uow.commit()
                    except Conflict:
                        pass  # claimed by another job that committed first
                    else:
                        return book
        return await self._claimed_book(upload)

    def _new_book(self, upload: Upload) -> Book:
        now = self._clock.now()
        return Book(
            id=self._ids.new_id(),
            title=upload.title,
            author=upload.author,
            language=upload.language,
            created_at=now,
            updated_at=now,
            owner_id=upload.owner_id,
        )

    async def _claimed_book(self, upload: Upload) -> Book:
        async with self._uow() as uow:
            stored = await uow.uploads.get(upload.id)
            book_id = None if stored is None else stored.book_id
            book = None if book_id is None else await uow.books.get(book_id)
        if book is None:
            raise UploadNotFound(f"upload {upload.id} is gone")
        return book

    async def _text(self, upload: Upload, number: int) -> ExtractedChapter:
        async with self._uow() as uow:
            text = await uow.uploads.chapter_text(upload.id, number)
        if text is None:
            raise UploadNotFound(f"upload {upload.id} has no chapter {number}")
        return text

    async def _save_chapters(self, book: Book, texts: list[ExtractedChapter]) -> None:
        """A Chapter row per chosen chapter (existing rows keep their summaries)."""
        async with self._uow() as uow:
            known = {c.number for c in await uow.chapters.list_for_book(book.id)}
            now = self._clock.now()
            for text in texts:
                if text.number not in known:
                    await uow.chapters.save(
                        Chapter(
                            self._ids.new_id(),
                            book.id,
                            text.number,
                            text.title,
                            now,
                            now,
                            word_count=text.words,
                        )
                    )
            await uow.commit()

    def _parts(self, text: str) -> list[str]:
        return split_sentences(text, self._limits.speech_part_chars)

    async def _narrate(
        self, book: Book, rendition: Rendition, chapter: ExtractedChapter, progress: _Progress
    ) -> ChapterAudio:
        """Speak the chapter part by part (each part kept), then join the parts."""
        parts = self._parts(chapter.text)
        keys = [
            chunk_audio_key(book.id, rendition.id, chapter.number, i) for i in range(len(parts))
        ]
        for index, (part, key) in enumerate(zip(parts, keys, strict=True), 1):
            if await self._storage.exists(key):
                progress.reused += 1
            else:
                await progress.attempt.check_active()
                await self._storage.put(key, await self._speak.synthesize(book, rendition, part))
            await progress.step(f"chapter {chapter.number}: part {index}/{len(parts)} spoken")
        audio = self._joiner.join([await self._read(key) for key in keys])
        stored = await self._speak.store(book, rendition, chapter.number, audio)
        for key in keys:
            await self._storage.delete(key)
        return stored

    async def _summarise(
        self, book: Book, rendition: Rendition, chapter: ExtractedChapter, progress: _Progress
    ) -> ChapterAudio:
        mode = rendition.mode.value
        async with self._uow() as uow:
            row = await uow.chapters.get(book.id, chapter.number)
        text = row.summary if row is not None and mode == Mode.SUMMARY.value else None
        if not text:
            text = await self._ask_model(book, chapter, mode)
            if row is not None and mode == Mode.SUMMARY.value:
                async with self._uow() as uow:
                    await uow.chapters.save(row.with_summary(text, self._clock.now()))
                    await uow.commit()
        await progress.attempt.check_active()
        stored = await self._speak.speak(book, rendition, chapter.number, text)
        await progress.step(f"chapter {chapter.number}: {mode} spoken")
        return stored

    async def _ask_model(self, book: Book, chapter: ExtractedChapter, mode: str) -> str:
        """The model's answer about the chapter; a long one is summarised in parts first."""
        parts = split_sentences(chapter.text, self._limits.model_part_chars)
        if len(parts) <= 1:
            return await self._summarizer.summarize_text(book, chapter.title, chapter.text, mode)
        summaries = [
            await self._summarizer.summarize_text(
                book, f"{chapter.title} (part {i} of {len(parts)})", part, "summary"
            )
            for i, part in enumerate(parts, 1)
        ]
        combined = "\n\n".join(summaries)
        return await self._summarizer.summarize_text(book, chapter.title, combined, mode)

    async def _assemble(self, book: Book, upload: Upload, rendition: Rendition) -> None:
        """One file per format of every chapter the rendition has, titled and in order."""
        async with self._uow() as uow:
            titles = {c.number: c.title for c in await uow.chapters.list_for_book(book.id)}
            audio = await uow.renditions.audio(rendition.id)
        parts = [self._part(book, rendition, titles.get(a.number), a) for a in audio]
        cover = None
        if upload.cover_key is not None:
            try:
                cover = await self._files.read(upload.cover_key)
            except UploadNotFound:
                cover = None  # the upload was deleted meanwhile: a book without a cover
        year = str(book.publish_date.year) if book.publish_date else None
        await self._assembler.assemble(
            parts,
            AudiobookTags(book.title, book.author, year, cover),
            {fmt: audiobook_key(book.id, rendition.id, fmt) for fmt in AUDIOBOOK_FORMATS},
        )

    @staticmethod
    def _part(
        book: Book, rendition: Rendition, title: str | None, audio: ChapterAudio
    ) -> AudiobookPart:
        """A chapter of the whole-book files."""
        return AudiobookPart(
            title or f"Chapter {audio.number}",
            audio.audio_key,
            audiobook_segment_key(book.id, rendition.id, audio.number),
        )

    async def _read(self, key: str) -> bytes:
        return b"".join([chunk async for chunk in self._storage.open(key)])


__all__ = ["ProduceUpload", "UploadLimits"]
