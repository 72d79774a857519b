"""Open Library (openlibrary.org) as a BookMetadataSource."""

from __future__ import annotations

from adapters.openlibrary.source import OpenLibraryBookMetadataSource

__all__ = ["OpenLibraryBookMetadataSource"]
