"""The voices the bundled espeak-ng data offers, read from its files (the C library is not loaded).

Language voices are the files under ``lang/`` (id: the file name, e.g. "en-US").
Each is also offered with the standard variants of ``voices/!v`` (female f1-f5, male m1-m8)
and a child-like one, as "<language>+<variant>" (e.g. "en-us+f3"), which espeak-ng applies on
top of the language voice.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from adapters.speech_voices import choose_voice
from domain.speech import Voice, VoiceType

__all__ = ["PROVIDER", "EspeakVoices"]

PROVIDER = "espeak"
FALLBACK_LANGUAGE = "en"
FEMALE_VARIANT = "f3"
MALE_VARIANT = "m3"
# espeak-ng has no child voice; "zac" (pitch 240-390 Hz, formants raised 45 %) sounds the
# youngest, "anika" (a high female voice) stands in should a data release drop it.
CHILD_VARIANTS = ("zac", "anika")
_STANDARD_VARIANT = re.compile(r"[fm][0-9]")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a usable voice id ("Mr serious" is not)
_DEFAULT_PRIORITY = 5  # a "language" line without a priority
# Old ISO 639-1 codes espeak-ng does not list under these names.
_LANGUAGE_ALIASES = {"iw": "he", "in": "id", "ji": "yi"}


@dataclass(frozen=True, slots=True)
class _VoiceFile:
    """One espeak-ng voice file: its id, the name it gives, and its ``language`` lines."""

    voice_id: str
    name: str
    gender: str | None
    languages: tuple[tuple[str, int], ...]  # (tag, priority), lower priority preferred
    dictionary: str  # espeak-ng-data/<dictionary>_dict holds its pronunciation rules


class EspeakVoices:
    """espeak-ng's voices under ``data_path``, read once on first use.

    ``choose`` turns a call's voice and language into the name espeak-ng is given; nothing
    outside the listed voices gets through, so no odd name reaches the C library.
    """

    def __init__(self, data_path: str | Path) -> None:
        self._data = Path(data_path)

    def voices(self) -> tuple[Voice, ...]:
        """Every language voice, each followed by its variants ("en", "en+f1", ...)."""
        return self._catalogue.voices

    def choose(self, voice: str | None, language: str) -> str:
        """The espeak-ng voice for ``voice`` (a voice type or a voice id) in ``language``.

        A voice type picks the voice for ``language`` (ISO 639-1 or a tag like "pt-BR";
        English when espeak-ng has none) with the type's variant.

        Raises:
            InvalidVoice: ``voice`` is neither a voice type nor a listed voice id.
        """
        catalogue = self._catalogue
        base = catalogue.language_voice(language)
        by_type = {
            VoiceType.DEFAULT: base,
            VoiceType.FEMALE: f"{base}+{FEMALE_VARIANT}",
            VoiceType.MALE: f"{base}+{MALE_VARIANT}",
            VoiceType.CHILD: f"{base}+{catalogue.child}" if catalogue.child else base,
        }
        return choose_voice(voice, by_type=by_type, ids=catalogue.ids, engine="espeak-ng")

    @functools.cached_property
    def _catalogue(self) -> _Catalogue:
        languages = [  # some wheels ship a voice without its dictionary: espeak cannot speak it
            v
            for v in _read_dir(self._data / "lang")
            if (self._data / f"{v.dictionary}_dict").is_file()
        ]
        return _Catalogue(languages, _read_dir(self._data / "voices" / "!v"))


class _Catalogue:
    """The voices listed, their ids, and which language voice speaks a language tag."""

    def __init__(self, languages: list[_VoiceFile], variants: list[_VoiceFile]) -> None:
        by_id = {v.voice_id: v for v in variants}
        self.child = next((c for c in CHILD_VARIANTS if c in by_id), None)
        listed = [
            v
            for v in variants
            if _STANDARD_VARIANT.fullmatch(v.voice_id) or v.voice_id == self.child
        ]
        types = {FEMALE_VARIANT: VoiceType.FEMALE, MALE_VARIANT: VoiceType.MALE}
        if self.child:
            types[self.child] = VoiceType.CHILD
        voices: list[Voice] = []
        for lang in languages:
            language = lang.languages[0][0]
            voices.append(
                Voice(PROVIDER, lang.voice_id, lang.name, language, None, (VoiceType.DEFAULT,))
            )
            voices += [
                Voice(
                    PROVIDER,
                    f"{lang.voice_id}+{variant.voice_id}",
                    f"{lang.name}, {variant.name}",
                    language,
                    variant.gender,
                    (types[variant.voice_id],) if variant.voice_id in types else (),
                )
                for variant in listed
            ]
        self.voices = tuple(voices)
        self.ids = frozenset(v.voice_id for v in voices)
        self._languages = {lang.voice_id.lower(): lang.voice_id for lang in languages}
        self._by_tag: dict[str, str] = {}
        ranked = sorted((p, lang.voice_id, tag) for lang in languages for tag, p in lang.languages)
        for _priority, voice_id, tag in ranked:
            self._by_tag.setdefault(tag, voice_id)

    def language_voice(self, language: str) -> str:
        """The language voice for an ISO 639-1 code or a tag ("fr", "pt-BR", "en_US")."""
        tag = language.strip().replace("_", "-").lower()
        base = tag.split("-")[0]
        for candidate in (tag, base, _LANGUAGE_ALIASES.get(base, base)):
            if candidate in self._languages:
                return self._languages[candidate]
            if candidate in self._by_tag:
                return self._by_tag[candidate]
        return FALLBACK_LANGUAGE


def _read_dir(directory: Path) -> list[_VoiceFile]:
    """The voice files under ``directory`` whose names are usable ids, sorted by id."""
    paths = (p for p in directory.rglob("*") if p.is_file() and _FILE_NAME.fullmatch(p.name))
    return sorted((_read_voice_file(p, p.name) for p in paths), key=lambda f: f.voice_id.lower())


def _read_voice_file(path: Path, voice_id: str) -> _VoiceFile:
    """The header lines of a voice file (``//`` starts a comment)."""
    name, gender, dictionary, languages = voice_id, None, None, []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        words = raw.split("//")[0].split()
        if len(words) < 2:
            continue
        key, value = words[0], words[1]
        if key == "name":
            name = " ".join(words[1:])
        elif key == "gender":
            gender = value.lower()
        elif key == "dictionary":
            dictionary = value
        elif key == "language" and value != "variant":
            priority = int(words[2]) if len(words) > 2 and words[2].isdigit() else _DEFAULT_PRIORITY
            languages.append((value.lower(), priority))
    tags = tuple(languages) or ((voice_id.lower(), _DEFAULT_PRIORITY),)
    return _VoiceFile(voice_id, name, gender, tags, dictionary or tags[0][0].split("-")[0])
