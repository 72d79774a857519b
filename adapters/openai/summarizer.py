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
