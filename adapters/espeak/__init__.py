"""Offline speech with espeak-ng from a pip wheel (no network, no system package)."""

from __future__ import annotations

from adapters.espeak.speech import EspeakSpeechSynthesizer

__all__ = ["EspeakSpeechSynthesizer"]
