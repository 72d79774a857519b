"""What a job makes of a book: the mode (which text is spoken) and the speech options."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.errors import ValidationFailed
from domain.speech import SpeechOptions


class Mode(enum.StrEnum):
    """Which text of each chapter is spoken (the PDF2AudioBook guideline's names)."""

    SUMMARY = "summary"
    FULL = "full"
    EXPLANATION = "explanation"
    SUMMARY_EXPLANATION = "summary_explanation"

    @classmethod
    def parse(cls, value: str) -> Mode:
        """The mode named ``value``. Raises ValidationFailed."""
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValidationFailed(f"{value[:40]!r} is not a mode: use one of {names}") from None


@dataclass(frozen=True, slots=True)
class Recipe:
    """How a book becomes audio: the mode and the speech options."""

    mode: Mode
    speech: SpeechOptions

    @property
    def key(self) -> str:
        """A canonical text form, equal for equal recipes (``summary|espeak|female|1.00``)."""
        return f"{self.mode.value}|{self.speech.key}"


__all__ = ["Mode", "Recipe"]
