"""Bodies of /api/v1/voices."""

from __future__ import annotations

from typing import Annotated

import msgspec

from domain.speech import MAX_SPEED, MIN_SPEED, Voice
from entrypoints.http.schemas import Schema, ex


class VoiceRead(Schema):
    """One voice of a configured engine; ``types`` are the voice types it stands for."""

    provider: Annotated[str, ex("polly")]
    voice_id: Annotated[str, ex("Joanna")]
    name: Annotated[str, ex("Joanna")]
    language: Annotated[str, ex("en-US")]
    gender: Annotated[str | None, ex("female")]
    types: Annotated[list[str], ex(["default", "female"])]

    @classmethod
    def of(cls, voice: Voice) -> VoiceRead:
        return cls(
            provider=voice.provider,
            voice_id=voice.voice_id,
            name=voice.name,
            language=voice.language,
            gender=voice.gender,
            types=[t.value for t in voice.types],
        )


class PreviewRequest(Schema):
    """What to say (up to 500 characters) and how."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=500, examples=["Call me Ishmael."])]
    provider: Annotated[str, msgspec.Meta(max_length=32, examples=["piper"])] | None = None
    voice: Annotated[str, msgspec.Meta(max_length=64, examples=["female"])] | None = None
    speed: Annotated[float, msgspec.Meta(ge=MIN_SPEED, le=MAX_SPEED, examples=[1.0])] = 1.0
    language: Annotated[str, msgspec.Meta(min_length=2, max_length=8, examples=["en"])] = "en"
