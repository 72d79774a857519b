"""Audio storage adapters: local disk and S3 (imported on first use, so importing is cheap)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.storage.local import LocalAudioStorage
    from adapters.storage.s3 import S3AudioStorage

__all__ = ["LocalAudioStorage", "S3AudioStorage"]


def __getattr__(name: str) -> Any:
    if name == "LocalAudioStorage":
        from adapters.storage.local import LocalAudioStorage

        return LocalAudioStorage
    if name == "S3AudioStorage":
        from adapters.storage.s3 import S3AudioStorage

        return S3AudioStorage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
