"""The espeak-ng C library from the espeakng-loader wheel, through ctypes.

espeak-ng keeps global state and is not thread-safe, so there is one ``EspeakLibrary`` per
process (``espeak_library()``), loaded on first use, and every call holds its lock.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

__all__ = ["EspeakLibrary", "espeak_library"]

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
        self.lock = threading.Lock()
        self._pcm: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced while the C side holds it
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, samples: int, events: Any) -> int:
        if samples > 0 and wav:
            self._pcm.append(ctypes.string_at(wav, samples * 2))
        return 0  # 0 = go on

    def synthesize(self, text: str, voices: list[str], rate: int) -> tuple[bytes, str]:
        """PCM for ``text`` in the first voice espeak knows, and that voice's name.

        Blocks; call it from a worker thread.

        Raises:
            LookupError: espeak knows none of ``voices``.
            RuntimeError: espeak failed to speak.
        """
        encoded = text.encode("utf-8")
        with self.lock:
            chosen = next(
                (v for v in voices if self._lib.espeak_SetVoiceByName(v.encode()) == _EE_OK), None
            )
            if chosen is None:
                raise LookupError(f"espeak-ng has none of the voices {voices}")
            self._lib.espeak_SetParameter(_RATE, max(RATE_MIN, min(RATE_MAX, rate)), 0)
            self._pcm = []
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            pcm, self._pcm = b"".join(self._pcm), []
        if status != _EE_OK:
            raise RuntimeError(f"espeak-ng failed to speak (error {status})")
        return pcm, chosen


_instance: EspeakLibrary | None = None
_instance_lock = threading.Lock()


def espeak_library() -> EspeakLibrary:
    """The process's espeak-ng, loaded and initialised on the first call (thread-safe)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = EspeakLibrary()
        return _instance
