"""Which of an engine's voices a call asked for: a voice type, or one of the engine's voice ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import InvalidVoice
from domain.speech import VoiceType, check_voice_syntax

if TYPE_CHECKING:
    from collections.abc import Container, Mapping

__all__ = ["choose_voice"]


def choose_voice(
    voice: str | None,
    *,
    by_type: Mapping[VoiceType, str],
    ids: Container[str],
    engine: str,
) -> str:
    """The engine's voice id for ``voice`` (None means ``default``).

    A voice type maps through ``by_type``; any other value must be one of ``ids``.

    Raises:
        InvalidVoice: ``voice`` is neither a voice type nor one of ``ids``.
    """
    name = check_voice_syntax(VoiceType.DEFAULT.value if voice is None else voice)
    try:
        return by_type[VoiceType(name)]
    except ValueError:
        pass
    if name in ids:
        return name
    raise InvalidVoice(
        f"{engine} has no voice {name!r}: use one of "
        f"{', '.join(t.value for t in VoiceType)} or a voice id from GET /api/v1/voices"
    )
