"""Prices of the speech engines and language models, in US dollars, as published by each
vendor on ``PRICES_AS_OF`` (list prices, no free tier, no volume discount). Update the
figures and the date together."""

from __future__ import annotations

from datetime import date

__all__ = ["LLM_USD_PER_MILLION_TOKENS", "PRICES_AS_OF", "SPEECH_USD_PER_MILLION_CHARS"]

PRICES_AS_OF = date(2025, 6, 1)

# Per million characters spoken.
SPEECH_USD_PER_MILLION_CHARS: dict[str, float] = {
    "google": 16.0,  # Cloud TTS Neural2 voices
    "polly": 16.0,  # Polly neural voices
    "azure": 15.0,  # Azure AI Speech neural voices, pay as you go
    "elevenlabs": 300.0,  # ElevenLabs API, Multilingual v2 (about $0.30 per 1,000 characters)
    "openai": 15.0,  # OpenAI tts-1 (gpt-4o-mini-tts bills about the same per character read)
    "gtts": 0.0,  # Google Translate's free endpoint
    "piper": 0.0,  # offline
    "espeak": 0.0,  # offline
    "memory": 0.0,  # the test engine
}

# Per million tokens: (input, output).
LLM_USD_PER_MILLION_TOKENS: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-nano": (0.10, 0.40),
}
