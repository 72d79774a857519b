"""Builders of the speech engines added with voices (Google, Polly, Azure, ElevenLabs,
Piper); each SDK is imported only when its engine is built."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.resilience import RetryPolicy
    from application.books.ports import SpeechSynthesizer
    from entrypoints.closer import AsyncCloser
    from entrypoints.settings import Settings

__all__ = ["make_azure", "make_elevenlabs", "make_google", "make_piper", "make_polly"]


def make_google(settings: Settings, client: Any, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.google_tts import GoogleSpeechSynthesizer, ServiceAccountToken

    token = None
    if settings.google_tts_credentials_file is not None:
        token = ServiceAccountToken.from_file(settings.google_tts_credentials_file, client)
    return GoogleSpeechSynthesizer(
        client,
        policy,
        api_key=settings.google_tts_api_key,
        token=token,
        base_url=settings.google_tts_base_url,
        voice_types=settings.voice_types("google"),
    )


def make_polly(settings: Settings, closer: AsyncCloser, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.polly import PollySpeechSynthesizer

    engine = PollySpeechSynthesizer(
        policy,
        region=settings.polly_region or "us-east-1",
        endpoint_url=settings.polly_endpoint_url,
        voice_types=settings.voice_types("polly"),
    )
    closer.register("polly client", engine.aclose)
    return engine


def make_azure(settings: Settings, client: Any, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.azure_tts import AzureSpeechSynthesizer
    from adapters.azure_tts.speech import azure_base_url

    base_url = settings.azure_speech_base_url or azure_base_url(settings.azure_speech_region or "")
    return AzureSpeechSynthesizer(
        client,
        policy,
        key=settings.azure_speech_key or "",
        base_url=base_url,
        voice_types=settings.voice_types("azure"),
    )


def make_elevenlabs(settings: Settings, client: Any, policy: RetryPolicy) -> SpeechSynthesizer:
    from adapters.elevenlabs import ElevenLabsSpeechSynthesizer

    return ElevenLabsSpeechSynthesizer(
        client,
        policy,
        api_key=settings.elevenlabs_api_key or "",
        model=settings.elevenlabs_model,
        base_url=settings.elevenlabs_base_url,
        voice_types=settings.voice_types("elevenlabs"),
    )


def make_piper(settings: Settings, closer: AsyncCloser) -> SpeechSynthesizer:
    from adapters.piper import PiperSpeechSynthesizer

    engine = PiperSpeechSynthesizer(settings.piper_voice)
    closer.register("piper child processes", engine.aclose)
    return engine
