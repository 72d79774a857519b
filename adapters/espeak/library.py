"""The child side of espeak-ng: the C library through ctypes, and MP3 encoding with lameenc.

``speak_mp3`` runs in a ChildProcessPool child, never in the server process, so a crash in
espeak-ng kills that child only. The library is loaded and initialised once per child; a
child runs one call at a time, which espeak-ng's global state needs.
"""

from __future__ import annotations

import ctypes
from typing import Any

from domain.errors import UpstreamError

__all__ = ["RATE_NORMAL", "EspeakLibrary", "espeak_library", "speak_mp3"]

_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_Synth returns when done; audio goes to the callback
_BUFFER_MS = 500  # how much audio each callback receives
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_RATE = 1  # espeakRATE: words per minute
RATE_NORMAL, RATE_MIN, RATE_MAX = 175, 80, 450

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class EspeakLibrary:
    """A loaded, initialised espeak-ng producing 16-bit mono PCM at ``sample_rate`` Hz."""

    def __init__(self) -> None:
        import espeakng_loader

        lib: Any = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        data_path = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, data_path, 0)
        if rate <= 0:
            raise RuntimeError(f"espeak-ng failed to initialise (data at {data_path!r})")
        self._lib = lib
        self.sample_rate: int = rate
        self._pcm: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced while the C side holds it
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, samples: int, events: Any) -> int:
        if samples > 0 and wav:
            self._pcm.append(ctypes.string_at(wav, samples * 2))
        return 0  # 0 = go on

    def set_voice(self, voice: str, rate: int) -> None:
        """Speak in ``voice`` (checked against the voice files first) at ``rate`` words/min.

        Raises:
            LookupError: espeak-ng does not know the voice.
        """
        if self._lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            raise LookupError(f"espeak-ng has no voice {voice!r}")
        self._lib.espeak_SetParameter(_RATE, max(RATE_MIN, min(RATE_MAX, rate)), 0)

    def synthesize(self, text: str) -> bytes:
        """PCM for ``text`` in the voice set last.

        Raises:
            RuntimeError: espeak-ng failed to speak.
        """
        encoded = text.encode("utf-8")
        self._pcm = []
        status = self._lib.espeak_Synth(
            encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        pcm, self._pcm = b"".join(self._pcm), []
        if status != _EE_OK:
            raise RuntimeError(f"espeak-ng failed to speak (error {status})")
        return pcm


_library: EspeakLibrary | None = None


def espeak_library() -> EspeakLibrary:
    """This process's espeak-ng, loaded and initialised on the first call (child side only)."""
    global _library
    if _library is None:
        _library = EspeakLibrary()
    return _library


def speak_mp3(chunks: list[str], voice: str, rate: int, bitrate_kbps: int) -> bytes:
    """Mono MP3 of ``chunks`` spoken one after another, in one stream (runs in a child).

    ``voice`` must come from ``EspeakVoices.choose``: espeak-ng parses voice names with
    fixed-size buffers, and an odd name can crash it.

    Raises:
        UpstreamError: espeak-ng could not be loaded, does not know the voice, or failed.
    """
    try:
        library = espeak_library()
        library.set_voice(voice, rate)
        encoder = _encoder(library.sample_rate, bitrate_kbps)
        mp3 = bytearray()
        for chunk in chunks:
            mp3 += encoder.encode(library.synthesize(chunk))
        mp3 += encoder.flush()
    except (OSError, LookupError, RuntimeError) as exc:
        raise UpstreamError(f"espeak-ng failed: {exc}") from exc
    return bytes(mp3)


def _encoder(sample_rate: int, bitrate_kbps: int) -> Any:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return encoder
