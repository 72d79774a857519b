"""Loudness normalisation of chapter MP3s, lossless: every chapter is brought to one
integrated loudness (EBU R128 / ITU-R BS.1770, measured by FFmpeg's ``ebur128`` filter
through PyAV), so a book sounds equally loud from chapter to chapter and engine to engine.

The gain is applied the way mp3gain does it: each Layer III granule's ``global_gain``
field is a power-of-two exponent, so adding one to it scales the decoded audio by exactly
2^(1/4) (+1.505 dB) without decoding or re-encoding anything. The gain is the step count
nearest the target, lowered until the loudest sample stays under the peak ceiling.
Measurement decodes the audio (native code): ``normalize_mp3`` runs in a child process.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING, Any

import structlog

from adapters.mp3_join import frame_positions
from adapters.native.errors import NativeCrash, NativeTimeout
from domain.errors import UpstreamError

if TYPE_CHECKING:
    from collections.abc import Callable

    from adapters.native.pool import ChildProcessPool

log = structlog.get_logger(__name__)

TARGET_LUFS = -20.0  # spoken word: ACX asks for -23 to -18 dB RMS; -20 leaves speech room to peak
PEAK_CEILING_DBFS = -1.0
STEP_DB = 20 * math.log10(2**0.25)  # one global_gain step
MAX_STEPS = 40  # +-60 dB: beyond that the "speech" is silence or noise
SILENCE_LUFS = -60.0  # quieter than this is not speech to bring up


def measure(mp3: bytes) -> tuple[float, float] | None:
    """(integrated loudness in LUFS, sample peak in dBFS) of the MP3, or None when it has
    no measurable audio (too short for one 400 ms block, or not decodable)."""
    import av
    from av.filter import Graph

    loudness: float | None = None
    peak = 0.0

    def read(frame: Any) -> None:
        nonlocal loudness, peak
        metadata = frame.metadata
        if "lavfi.r128.I" in metadata:
            loudness = float(metadata["lavfi.r128.I"])
            peak = max(peak, float(metadata.get("lavfi.r128.sample_peak", 0.0)))

    try:
        with av.open(io.BytesIO(mp3), "r") as source:
            stream = source.streams.audio[0]
            graph = Graph()
            buffer = graph.add_abuffer(template=stream)
            meter = graph.add("ebur128", "metadata=1:peak=sample")
            sink = graph.add("abuffersink")
            buffer.link_to(meter)
            meter.link_to(sink)
            graph.configure()
            for frame in source.decode(stream):
                graph.push(frame)
                _drain(graph, read)
            graph.push(None)
            _drain(graph, read)
    except (av.FFmpegError, IndexError):
        return None
    if loudness is None or not math.isfinite(loudness) or peak <= 0:
        return None
    return loudness, 20 * math.log10(peak)


def _drain(graph: Any, read: Callable[[Any], None]) -> None:
    """Hand every frame the graph has ready to ``read``."""
    import av

    while True:
        try:
            frame = graph.pull()
        except (av.BlockingIOError, av.EOFError):
            return
        read(frame)


def gain_steps(loudness: float, peak_dbfs: float) -> int:
    """Global-gain steps taking ``loudness`` to the target without the peak passing the
    ceiling; 0 for silence."""
    if loudness < SILENCE_LUFS:
        return 0
    steps = round((TARGET_LUFS - loudness) / STEP_DB)
    while steps > 0 and peak_dbfs + steps * STEP_DB > PEAK_CEILING_DBFS:
        steps -= 1
    return max(-MAX_STEPS, min(MAX_STEPS, steps))


def apply_gain(mp3: bytes, steps: int) -> bytes:
    """The MP3 with every granule's global_gain moved by ``steps`` (clamped to 0..255).

    Frames protected by a CRC are left as they are (their checksum covers the field), as
    are Xing/Info header frames (they hold no audio)."""
    if steps == 0:
        return mp3
    data = bytearray(mp3)
    for pos, _ in frame_positions(mp3):
        header = data[pos : pos + 4]
        if not header[1] & 0x1:  # protection bit 0: a CRC follows the header
            continue
        mpeg1 = (header[1] >> 3) & 0x3 == 3
        mono = header[3] >> 6 == 3
        side = pos + 4
        for bit in _global_gain_bits(mpeg1, mono):
            value = _read_bits(data, side, bit, 8)
            if value:  # 0: an empty granule (or an Info frame's zeroed side info)
                _write_bits(data, side, bit, 8, max(0, min(255, value + steps)))
    return bytes(data)


def _global_gain_bits(mpeg1: bool, mono: bool) -> list[int]:
    """Bit offsets, in the side information, of each granule's global_gain field."""
    channels = 1 if mono else 2
    if mpeg1:  # main_data_begin 9, private 5|3, scfsi 4 per channel; 59 bits per granule
        start = 18 if mono else 20
        return [start + (g * channels + c) * 59 + 21 for g in range(2) for c in range(channels)]
    start = 9 if mono else 10  # MPEG-2/2.5: main_data_begin 8, private 1|2; 63 bits
    return [start + c * 63 + 21 for c in range(channels)]


def _read_bits(data: bytearray, base: int, bit: int, count: int) -> int:
    value = 0
    for i in range(bit, bit + count):
        value = (value << 1) | ((data[base + i // 8] >> (7 - i % 8)) & 1)
    return value


def _write_bits(data: bytearray, base: int, bit: int, count: int, value: int) -> None:
    for n, i in enumerate(range(bit, bit + count)):
        mask = 1 << (7 - i % 8)
        if (value >> (count - 1 - n)) & 1:
            data[base + i // 8] |= mask
        else:
            data[base + i // 8] &= ~mask


def normalize_mp3(mp3: bytes) -> bytes:
    """The MP3 at the target loudness (runs in a child process); unchanged when it cannot
    be measured."""
    measured = measure(mp3)
    if measured is None:
        return mp3
    try:
        return apply_gain(mp3, gain_steps(*measured))
    except UpstreamError:  # frames the walk cannot follow: keep the audio as it is
        return mp3


class PooledLoudnessNormalizer:
    """LoudnessNormalizer running ``normalize_mp3`` in a ChildProcessPool. A crash or a
    timeout there costs the normalisation, never the chapter: the audio is kept as made."""

    def __init__(self, pool: ChildProcessPool, *, timeout_s: float = 300.0) -> None:
        self._pool = pool
        self._timeout_s = timeout_s

    async def normalize(self, audio: bytes) -> bytes:
        try:
            normalized: bytes = await self._pool.run(
                normalize_mp3, audio, timeout_s=self._timeout_s
            )
        except (NativeCrash, NativeTimeout) as error:
            log.warning("loudness normalisation skipped", reason=str(error))
            return audio
        return normalized


__all__ = [
    "PooledLoudnessNormalizer",
    "apply_gain",
    "gain_steps",
    "measure",
    "normalize_mp3",
]
