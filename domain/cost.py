"""What a book will cost before it is made: characters spoken, language-model tokens,
seconds of audio, and dollars per speech engine (from ``domain.prices``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.prices import LLM_USD_PER_MILLION_TOKENS, PRICES_AS_OF, SPEECH_USD_PER_MILLION_CHARS
from domain.recipe import Mode

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

__all__ = ["CHARS_PER_SECOND", "CostEstimate", "WorkSize", "estimate_cost", "work_size"]

CHARS_PER_SECOND = 15.0  # about 150 words a minute at speed 1
CHARS_PER_WORD = 6  # five letters and a space
CHARS_PER_TOKEN = 4
TOKENS_PER_WORD = 4 / 3
PROMPT_TOKENS = 250  # instructions and the book's title/author, per request
EXPLANATION_FACTOR = 2  # an explanation runs about twice a summary's length


@dataclass(frozen=True, slots=True)
class WorkSize:
    """How much a book's recipe speaks and asks of the language model."""

    characters: int
    llm_input_tokens: int
    llm_output_tokens: int


def work_size(mode: Mode, chapter_characters: Sequence[int | None], summary_words: int) -> WorkSize:
    """The work of ``mode`` over chapters of these sizes (None: text unknown, as for a book
    found by ISBN, whose summaries the model writes from what it knows)."""
    summary_chars = summary_words * CHARS_PER_WORD
    summary_tokens = round(summary_words * TOKENS_PER_WORD)
    characters = tokens_in = tokens_out = 0
    for size in chapter_characters:
        text_tokens = (size or 0) // CHARS_PER_TOKEN
        if mode is Mode.FULL:
            characters += size or 0
            continue
        writes = {
            Mode.SUMMARY: (1,),
            Mode.EXPLANATION: (EXPLANATION_FACTOR,),
            Mode.SUMMARY_EXPLANATION: (1, EXPLANATION_FACTOR),
        }[mode]
        for factor in writes:
            tokens_in += PROMPT_TOKENS + text_tokens
            tokens_out += summary_tokens * factor
            characters += summary_chars * factor
    return WorkSize(characters, tokens_in, tokens_out)


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """The estimate: ``cost_usd`` per engine includes the language model's share."""

    characters: int
    llm_input_tokens: int
    llm_output_tokens: int
    speech_seconds: float
    llm_cost_usd: float
    cost_usd: dict[str, float]
    prices_as_of: date


def estimate_cost(
    size: WorkSize, *, speed: float, engines: Sequence[str], llm_model: str | None
) -> CostEstimate:
    """Dollars for ``size`` per engine; ``llm_model`` None (no model used) or unpriced costs 0."""
    price_in, price_out = LLM_USD_PER_MILLION_TOKENS.get(llm_model or "", (0.0, 0.0))
    llm = (size.llm_input_tokens * price_in + size.llm_output_tokens * price_out) / 1e6
    per_char = {e: SPEECH_USD_PER_MILLION_CHARS.get(e, 0.0) / 1e6 for e in engines}
    cost = {engine: round(size.characters * per_char[engine] + llm, 4) for engine in engines}
    return CostEstimate(
        characters=size.characters,
        llm_input_tokens=size.llm_input_tokens,
        llm_output_tokens=size.llm_output_tokens,
        speech_seconds=round(size.characters / (CHARS_PER_SECOND * speed), 1),
        llm_cost_usd=round(llm, 4),
        cost_usd=cost,
        prices_as_of=PRICES_AS_OF,
    )
