"""Speech through ElevenLabs (REST)."""

from __future__ import annotations

from adapters.elevenlabs.speech import ElevenLabsSpeechSynthesizer

__all__ = ["ElevenLabsSpeechSynthesizer"]
