"""/api/v1/voices: list the configured engines' voices; hear one before making a book."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from application.books.list_voices import ListVoices
from application.books.preview_voice import PreviewCommand, PreviewVoice
from domain.user import User
from entrypoints.http.deps import AUTH, AUTH_GUARDS, container_of, use_case
from entrypoints.http.openapi import AUTHENTICATED, errors
from entrypoints.http.rate_limit import enforce_user_limit
from entrypoints.http.voices.schemas import PreviewRequest, VoiceRead

Provider = Annotated[str | None, Parameter(max_length=32, description="only this engine")]


class VoicesController(Controller):
    """Voices of the speech engines this server has configured. Every route needs auth."""

    path = "/api/v1/voices"
    tags = ["voices"]
    dependencies = AUTH
    guards = AUTH_GUARDS
    security = AUTHENTICATED

    @get(
        "/",
        operation_id="listVoices",
        dependencies={"list_voices": use_case("voices.list_voices")},
        responses=errors(401, 503, codes={422: ("invalid_provider", "validation_error")}),
    )
    async def list_voices(
        self, list_voices: NamedDependency[ListVoices], provider: Provider = None
    ) -> list[VoiceRead]:
        """Every voice of every configured engine (the default engine's first). Ask for a
        voice by its ``voice_id`` with its ``provider``, or by a voice type it lists."""
        return [VoiceRead.of(v) for v in await list_voices(provider)]

    @post(
        "/preview",
        operation_id="previewVoice",
        status_code=200,
        dependencies={"preview_voice": use_case("voices.preview_voice")},
        responses=errors(
            401,
            429,
            502,
            503,
            body=True,
            codes={422: ("invalid_voice", "invalid_provider", "validation_error")},
        ),
        response_description="MP3 audio (audio/mpeg)",
        media_type="audio/mpeg",
    )
    async def preview(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[User],
        preview_voice: NamedDependency[PreviewVoice],
        data: JSONBody[PreviewRequest],
    ) -> Response[bytes]:
        """Speak up to 500 characters with an engine, voice and speed, and answer the MP3.
        Limited to PREVIEW_RATE_LIMIT_PER_MINUTE previews per user per minute."""
        limit = container_of(request).settings().preview_rate_limit_per_minute
        await enforce_user_limit(request, "voice preview", user.id, limit)
        audio = await preview_voice(
            PreviewCommand(
                text=data.text,
                provider=data.provider,
                voice=data.voice,
                speed=data.speed,
                language=data.language,
            )
        )
        return Response(audio, media_type="audio/mpeg", status_code=200)
