"""Cost estimates: characters, tokens, seconds and dollars per engine."""

from __future__ import annotations

import pytest

from domain.cost import CHARS_PER_SECOND, estimate_cost, work_size
from domain.prices import PRICES_AS_OF, SPEECH_USD_PER_MILLION_CHARS
from domain.recipe import Mode


def test_full_mode_speaks_the_text_and_asks_the_model_nothing() -> None:
    size = work_size(Mode.FULL, [10_000, 5_000], summary_words=200)

    assert (size.characters, size.llm_input_tokens, size.llm_output_tokens) == (15_000, 0, 0)


def test_summary_explanation_asks_twice_per_chapter_and_speaks_more_than_a_summary() -> None:
    summary = work_size(Mode.SUMMARY, [8_000] * 3, summary_words=200)
    both = work_size(Mode.SUMMARY_EXPLANATION, [8_000] * 3, summary_words=200)

    assert both.llm_input_tokens == 2 * summary.llm_input_tokens
    assert both.characters == 3 * summary.characters
    assert summary.llm_input_tokens > 3 * 8_000 // 4  # the chapter text goes in


def test_cost_per_engine_is_characters_times_price_plus_the_model() -> None:
    size = work_size(Mode.FULL, [1_000_000], summary_words=200)

    estimate = estimate_cost(size, speed=2.0, engines=["polly", "piper"], llm_model="gpt-4o")

    assert estimate.cost_usd == {"polly": SPEECH_USD_PER_MILLION_CHARS["polly"], "piper": 0.0}
    assert estimate.speech_seconds == pytest.approx(1_000_000 / CHARS_PER_SECOND / 2, abs=0.1)
    assert estimate.prices_as_of == PRICES_AS_OF


def test_the_model_share_is_added_to_every_engine() -> None:
    size = work_size(Mode.SUMMARY, [None] * 10, summary_words=200)

    priced = estimate_cost(size, speed=1.0, engines=["piper"], llm_model="gpt-4o-mini")
    unpriced = estimate_cost(size, speed=1.0, engines=["piper"], llm_model=None)

    assert priced.cost_usd["piper"] == priced.llm_cost_usd > 0
    assert unpriced.cost_usd["piper"] == 0.0
