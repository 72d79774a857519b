"""OpenAISummarizer: one chapter summary per chat completion, in the book's language."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from adapters.openai.errors import call_openai, message_content
from domain.errors import UpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from openai import AsyncOpenAI

    from adapters.resilience import RetryPolicy
    from domain.book import Book
    from domain.chapter import ChapterOutline

SYSTEM_PROMPT = (
    "You write faithful chapter summaries of published books, to be read aloud. Write plain "
    "flowing prose: no headings, lists, markdown or preamble. Do not invent events, names or "
    "quotations; where you are unsure of details, stay general."
)


def user_prompt(book: Book, chapter: ChapterOutline, target_words: int) -> str:
    """The request for one chapter's summary."""
    published = f", published {book.publish_date.year}" if book.publish_date else ""
    return (
        f'Summarise chapter {chapter.number}, "{chapter.title}", of the book "{book.title}" '
        f"by {book.author}{published}.\n"
        f"Write about {target_words} words, in the language whose ISO 639-1 code is "
        f'"{book.language}" (the language of the book).'
    )


TEXT_TASKS = {
    "summary": "Summarise it faithfully",
    "explanation": (
        "Explain it for a listener who wants to understand it: its ideas, arguments or "
        "events, and why they matter, in plain words"
    ),
    "summary_explanation": (
        "First summarise it faithfully, then explain its ideas and why they matter"
    ),
}


def text_prompt(book: Book, title: str, text: str, mode: str, target_words: int) -> str:
    """The request for a summary (or explanation) of a chapter's real text."""
    task = TEXT_TASKS.get(mode, TEXT_TASKS["summary"])
    return (
        f'Below is the text of "{title}" from the book "{book.title}" by {book.author}. '
        f"{task}, in about {target_words} words, in the language whose ISO 639-1 code is "
        f'"{book.language}". Use only what the text says.\n\n<text>\n{text}\n</text>'
    )


class OpenAISummarizer:
    """Summarises chapters with an OpenAI-compatible chat model."""

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        target_words: int,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._model = model
        self._target_words = target_words
        self._policy = policy
        self._sleep = sleep

    async def summarize(self, book: Book, chapter: ChapterOutline) -> str:
        """The chapter's summary text.

        Raises:
            UpstreamError: an empty answer or a refusal, or an error retrying will not fix;
                TransientUpstreamError after the retries of a transient failure.
        """
        what = f"summary of chapter {chapter.number} of {book.title!r}"
        text = await call_openai(
            self._policy, lambda: self._ask(book, chapter, what), what=what, sleep=self._sleep
        )
        if not text or not text.strip():
            raise UpstreamError(f"{what}: the model gave no text")
        return text.strip()

    async def _ask(self, book: Book, chapter: ChapterOutline, what: str) -> str | None:
        completion = await self._client.chat.completions.create(
            model=self._model,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": user_prompt(book, chapter, self._target_words)},
            ],
        )
        return message_content(completion, what)

    async def summarize_text(self, book: Book, title: str, text: str, mode: str) -> str:
        """A summary or explanation of ``text`` (see Summarizer.summarize_text).

        Raises:
            UpstreamError / TransientUpstreamError as ``summarize``.
        """
        what = f"{mode} of {title!r} of {book.title!r}"
        prompt = text_prompt(book, title, text, mode, self._target_words)
        answer = await call_openai(
            self._policy, lambda: self._ask_text(prompt, what), what=what, sleep=self._sleep
        )
        if not answer or not answer.strip():
            raise UpstreamError(f"{what}: the model gave no text")
        return answer.strip()

    async def _ask_text(self, prompt: str, what: str) -> str | None:
        completion = await self._client.chat.completions.create(
            model=self._model,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": prompt},
            ],
        )
        return message_content(completion, what)
