"""Speech through Amazon Polly (aioboto3)."""

from __future__ import annotations

from adapters.polly.speech import PollySpeechSynthesizer

__all__ = ["PollySpeechSynthesizer"]
