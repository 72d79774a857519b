"""OpenAIChapterPlanner: a book's chapter list from a chat model, as schema-checked JSON.

The model answers through a strict JSON-schema ``response_format``; the answer is decoded
and validated with msgspec, never parsed from free text. It may say it does not know the
book (``known: false``), which raises ``BookUnknown`` rather than inventing chapters.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import msgspec

from adapters.openai.errors import call_openai, message_content
from domain.chapter import ChapterOutline
from domain.errors import BookUnknown, UpstreamError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

    from adapters.resilience import RetryPolicy
    from domain.book import Book

ATTEMPTS = 2  # one retry when the model's output breaks the schema

SYSTEM_PROMPT = (
    "You are a careful literary reference. You list the chapters of published books so that "
    "each chapter can be summarised. Only list chapters you actually know this book to have. "
    "If you do not know this specific book (title, author and edition) well enough to list "
    'its real chapters, answer {"known": false, "chapters": []}: never invent chapters.'
)

OUTLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "known": {
            "type": "boolean",
            "description": "true only if you know this book's real chapters",
        },
        "chapters": {
            "type": "array",
            "description": "the chapters in reading order; empty when known is false",
            "items": {
                "type": "object",
                "properties": {
                    "number": {"type": "integer", "description": "1, 2, 3... in order"},
                    "title": {"type": "string", "description": "the chapter's title"},
                },
                "required": ["number", "title"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["known", "chapters"],
    "additionalProperties": False,
}


class _PlannedChapter(msgspec.Struct, forbid_unknown_fields=True):
    number: int
    title: str


class _Outline(msgspec.Struct, forbid_unknown_fields=True):
    known: bool
    chapters: list[_PlannedChapter]


_decoder = msgspec.json.Decoder(_Outline)


class _InvalidOutput(Exception):
    """The model's answer broke the schema or its rules."""


def user_prompt(book: Book, max_chapters: int) -> str:
    """The request for ``book``'s chapters: every fact we have about the edition."""
    published = book.publish_date.isoformat() if book.publish_date else "unknown"
    lines = [
        f"Title: {book.title}",
        f"Author: {book.author}",
        f"Language (ISO 639-1): {book.language}",
        f"Publication date: {published}",
    ]
    if book.publisher:
        lines.append(f"Publisher: {book.publisher}")
    if book.edition:
        lines.append(f"Edition: {book.edition}")
    return (
        "List the chapters of this book in reading order.\n\n"
        + "\n".join(lines)
        + f"\n\nGive at most {max_chapters} chapters, numbered from 1. Use the titles as "
        f"printed in the book, in its language. If the book has more than {max_chapters} "
        f"chapters, group consecutive chapters into at most {max_chapters} parts, each titled "
        "by the chapters it covers. If you do not know this book, set known to false and "
        "give no chapters."
    )


class OpenAIChapterPlanner:
    """Plans chapters with an OpenAI-compatible chat model (structured outputs required).

    The chapters are renumbered 1..n in the order the model gave them, and cut to
    ``max_chapters`` should the model give more than it was asked for.
    """

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        max_chapters: int,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._model = model
        self._max_chapters = max_chapters
        self._policy = policy
        self._sleep = sleep

    async def plan(self, book: Book) -> list[ChapterOutline]:
        """The book's chapters, in order.

        Raises:
            BookUnknown: the model says it does not know the book.
            UpstreamError: the output broke the schema twice, or the API refused the request;
                TransientUpstreamError after the retries of a transient failure.
        """
        what = f"chapter plan for {book.title!r}"
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_prompt(book, self._max_chapters)},
        ]
        problem = ""
        for _ in range(ATTEMPTS):
            content = await call_openai(
                self._policy, lambda: self._ask(messages, what), what=what, sleep=self._sleep
            )
            try:
                outline = self._validate(content)
            except _InvalidOutput as exc:
                problem = str(exc)
                continue
            if not outline.known:
                raise BookUnknown(f"the language model does not know {book.title!r}")
            return [
                ChapterOutline(number, chapter.title.strip())
                for number, chapter in enumerate(outline.chapters[: self._max_chapters], 1)
            ]
        raise UpstreamError(f"{what}: invalid model output twice: {problem}")

    async def _ask(self, messages: list[ChatCompletionMessageParam], what: str) -> str | None:
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {"name": "chapter_outline", "strict": True, "schema": OUTLINE_SCHEMA},
        }
        completion = await self._client.chat.completions.create(
            model=self._model, messages=messages, response_format=response_format
        )
        return message_content(completion, what)

    @staticmethod
    def _validate(content: str | None) -> _Outline:
        if not content:
            raise _InvalidOutput("empty answer or refusal")
        try:
            outline = _decoder.decode(content)
        except msgspec.DecodeError as exc:
            raise _InvalidOutput(str(exc)) from exc
        if outline.known and not outline.chapters:
            raise _InvalidOutput("known book without chapters")
        if any(not chapter.title.strip() for chapter in outline.chapters):
            raise _InvalidOutput("a chapter without a title")
        return outline
