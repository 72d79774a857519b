"""Response compression: gzip for text (JSON, the docs page, its JS and CSS), never for audio.

Litestar's middleware compresses every response of the minimum size whose client accepts
gzip. Ours leaves byte-exact what must stay so: media that is compressed already (MP3
audio), partial content (206 with Content-Range, whose offsets count the stored bytes), and
anything that already has a Content-Encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar.config.compression import CompressionConfig
from litestar.datastructures import Headers
from litestar.middleware.compression import CompressionMiddleware

if TYPE_CHECKING:
    from litestar.types import HTTPResponseStartEvent, Message, Scope, Send

__all__ = ["TextCompressionMiddleware", "compression_config"]

MINIMUM_SIZE = 1024
GZIP_LEVEL = 6  # zlib's default: level 9 costs ~25 % more CPU to save 0.3 % on the Swagger JS
_COMPRESSED_MEDIA = (
    "audio/",
    "video/",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/zip",
    "application/gzip",
    "font/woff",
)


def compressible(start: HTTPResponseStartEvent) -> bool:
    """Whether a response, by its ``http.response.start`` message, may be compressed."""
    headers = Headers(start.get("headers") or ())
    if start.get("status") == 206 or "content-range" in headers:
        return False
    if "content-encoding" in headers:
        return False
    media_type = headers.get("content-type", "").lower()
    return not media_type.startswith(_COMPRESSED_MEDIA)


class TextCompressionMiddleware(CompressionMiddleware):
    """Litestar's CompressionMiddleware, passing through what ``compressible`` refuses."""

    def create_compression_send_wrapper(
        self, send: Send, compression_encoding: Any, scope: Scope
    ) -> Send:
        compress = super().create_compression_send_wrapper(send, compression_encoding, scope)
        passthrough = False

        async def send_wrapper(message: Message) -> None:
            nonlocal passthrough
            if message["type"] == "http.response.start":
                passthrough = not compressible(message)
            await (send if passthrough else compress)(message)

        return send_wrapper


def compression_config() -> CompressionConfig:
    """gzip for clients that accept it, through ``TextCompressionMiddleware``."""
    return CompressionConfig(
        backend="gzip",
        minimum_size=MINIMUM_SIZE,
        gzip_compress_level=GZIP_LEVEL,
        middleware_class=TextCompressionMiddleware,
    )
