"""Offline neural speech with Piper (piper-tts + a voice from a pip package)."""

from __future__ import annotations

from adapters.piper.speech import PiperSpeechSynthesizer, packaged_voice

__all__ = ["PiperSpeechSynthesizer", "packaged_voice"]
