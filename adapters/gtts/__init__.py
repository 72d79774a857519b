"""Speech through Google Translate's text-to-speech (gTTS)."""

from __future__ import annotations

from adapters.gtts.speech import GttsSpeechSynthesizer

__all__ = ["GttsSpeechSynthesizer"]
