"""Tesseract's models (``<code>.traineddata``): the bundled ones (pip packages
``tessdata-fast-<code>``), an optional folder of extra ones, and the one folder Tesseract
is given for the languages chosen (it reads every model from a single folder)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

SUFFIX = ".traineddata"


class MissingOcrModels(LookupError):
    """Languages no model folder has a model for (``missing``)."""

    def __init__(self, message: str, missing: Sequence[str]) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


def bundled_folder() -> Path:
    """Where the ``tessdata-fast-<code>`` packages put their models."""
    import tessdata

    return Path(tessdata.data_path())


def models_in(folder: Path) -> dict[str, Path]:
    """Language code -> model file, for every model in ``folder`` (none if it is missing)."""
    if not folder.is_dir():
        return {}
    return {path.name.removesuffix(SUFFIX): path for path in folder.glob(f"*{SUFFIX}")}


def available(extra: Path | None = None) -> dict[str, Path]:
    """Every usable model: the bundled ones, then ``extra``'s (which win)."""
    return {**models_in(bundled_folder()), **(models_in(extra) if extra else {})}


class OcrModels:
    """The tessdata folder for ``languages``: the bundled folder when ``extra`` is None,
    otherwise a private folder of links to each chosen model (``extra``'s first), removed
    by ``close``.

    Raises:
        NotADirectoryError: ``extra`` is not a folder.
        MissingOcrModels: a language has no model; the message lists what there is.
    """

    def __init__(self, languages: Sequence[str], extra: Path | None = None) -> None:
        if extra is not None and not extra.is_dir():
            raise NotADirectoryError(f"{str(extra)!r} is not a folder")
        found = available(extra)
        missing = [code for code in languages if code not in found]
        if missing:
            have = ", ".join(sorted(c for c in found if c != "osd")) or "none"
            raise MissingOcrModels(
                f"no Tesseract model for {', '.join(missing)} (models found: {have})", missing
            )
        self.languages = "+".join(languages)
        self._own: Path | None = None
        if extra is None:
            self.folder = bundled_folder()
            return
        self._own = self.folder = Path(tempfile.mkdtemp(prefix="bookbytes-tessdata-"))
        for code in languages:
            (self.folder / f"{code}{SUFFIX}").symlink_to(found[code].resolve())

    def close(self) -> None:
        """Remove the private folder of links, if one was made."""
        if self._own is not None:
            shutil.rmtree(self._own, ignore_errors=True)
            self._own = None


__all__ = ["MissingOcrModels", "OcrModels", "available", "bundled_folder", "models_in"]
