"""Speech through Azure AI Speech (REST, SSML)."""

from __future__ import annotations

from adapters.azure_tts.speech import AzureSpeechSynthesizer

__all__ = ["AzureSpeechSynthesizer"]
