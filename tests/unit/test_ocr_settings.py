"""OCR_LANGUAGES and OCR_TESSDATA_PATH: parsed at start, then checked against the models
that are really there; a language without a model stops the start naming the variable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from adapters.bookfiles.ocr_models import MissingOcrModels, OcrModels, bundled_folder
from entrypoints.closer import AsyncCloser
from entrypoints.settings import Settings, SettingsError
from entrypoints.wiring.uploads import make_ocr_models

if TYPE_CHECKING:
    from pathlib import Path


def test_the_default_is_english_from_the_bundled_models() -> None:
    settings = Settings.from_env({})
    assert settings.ocr_languages == ("eng",)
    models = make_ocr_models(settings, AsyncCloser())
    assert (models.folder, models.languages) == (bundled_folder(), "eng")


def test_languages_are_joined_with_plus_and_kept_once() -> None:
    settings = Settings.from_env({"OCR_LANGUAGES": " deu + eng+deu "})
    assert settings.ocr_languages == ("deu", "eng")
    assert make_ocr_models(settings, AsyncCloser()).languages == "deu+eng"


def test_a_language_without_a_model_stops_the_start_naming_the_variable() -> None:
    settings = Settings.from_env({"OCR_LANGUAGES": "eng+fra"})
    with pytest.raises(SettingsError) as raised:
        make_ocr_models(settings, AsyncCloser())
    assert raised.value.variable == "OCR_LANGUAGES"
    message = str(raised.value)
    assert message.startswith("OCR_LANGUAGES=eng+fra: no Tesseract model for fra")
    assert "models found: deu, eng" in message
    assert "OCR_TESSDATA_PATH" in message


def test_ocr_tessdata_path_must_be_a_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"OCR_TESSDATA_PATH": str(tmp_path / "missing")})
    with pytest.raises(SettingsError) as raised:
        make_ocr_models(settings, AsyncCloser())
    assert raised.value.variable == "OCR_TESSDATA_PATH"
    assert "is not a folder" in str(raised.value)


async def test_extra_models_join_the_bundled_ones_and_go_at_shutdown(tmp_path: Path) -> None:
    extra = tmp_path / "models"
    extra.mkdir()
    (extra / "fra.traineddata").write_bytes(b"french")
    (extra / "deu.traineddata").write_bytes(b"my own german")
    settings = Settings.from_env({"OCR_LANGUAGES": "fra+deu+eng", "OCR_TESSDATA_PATH": str(extra)})
    closer = AsyncCloser()
    models = make_ocr_models(settings, closer)
    folder = models.folder
    assert models.languages == "fra+deu+eng"
    assert sorted(p.name for p in folder.iterdir()) == [
        "deu.traineddata",
        "eng.traineddata",
        "fra.traineddata",
    ]
    assert (folder / "fra.traineddata").read_bytes() == b"french"
    assert (folder / "deu.traineddata").read_bytes() == b"my own german"  # extra wins
    eng = (bundled_folder() / "eng.traineddata").read_bytes()
    assert (folder / "eng.traineddata").read_bytes() == eng
    await closer.aclose()
    assert not folder.exists()
    assert (extra / "fra.traineddata").exists()  # only the links went


def test_the_missing_models_are_all_named(tmp_path: Path) -> None:
    with pytest.raises(MissingOcrModels, match=r"^no Tesseract model for fra, ita \("):
        OcrModels(["eng", "fra", "ita"], tmp_path)
