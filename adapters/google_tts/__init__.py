"""Speech through Google Cloud Text-to-Speech (REST ``text:synthesize``)."""

from __future__ import annotations

from adapters.google_tts.credentials import ServiceAccountToken
from adapters.google_tts.speech import GoogleSpeechSynthesizer

__all__ = ["GoogleSpeechSynthesizer", "ServiceAccountToken"]
