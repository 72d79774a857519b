"""Google Books (the Books API v1) as a BookMetadataSource."""

from __future__ import annotations

from adapters.googlebooks.source import GoogleBooksBookMetadataSource

__all__ = ["GoogleBooksBookMetadataSource"]
