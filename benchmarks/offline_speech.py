"""Characters per second and real-time factor of the offline engines (Piper, espeak-ng).

Run: .venv/bin/python benchmarks/offline_speech.py [characters]
Each engine speaks the same English text (default 6,000 characters) once to warm up its
child process (loading the voice), then three times; the figures are the median run.
Real-time factor = seconds spent / seconds of audio (below 1 is faster than real time).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from adapters.espeak import EspeakSpeechSynthesizer
from adapters.piper import PiperSpeechSynthesizer
from domain.audio import scan_mp3

SENTENCE = (
    "It was the best of times, it was the worst of times, it was the age of wisdom, "
    "it was the age of foolishness. "
)


async def measure(name: str, engine: object, text: str) -> None:
    speak = engine.synthesize  # type: ignore[attr-defined]
    started = time.perf_counter()
    await speak(text[:200], language="en")
    warm_up = time.perf_counter() - started
    runs = []
    audio_s = 0.0
    for _ in range(3):
        started = time.perf_counter()
        mp3 = await speak(text, language="en")
        runs.append(time.perf_counter() - started)
        info = scan_mp3(mp3)
        assert info is not None
        audio_s = info.duration_s
    spent = statistics.median(runs)
    print(
        f"{name:7} first call (loads the voice) {warm_up:5.2f} s | {len(text)} chars in "
        f"{spent:6.2f} s = {len(text) / spent:7.0f} chars/s | audio {audio_s:6.1f} s | "
        f"real-time factor {spent / audio_s:.3f}"
    )
    await engine.aclose()  # type: ignore[attr-defined]


async def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    text = (SENTENCE * (size // len(SENTENCE) + 1))[:size]
    await measure("piper", PiperSpeechSynthesizer(), text)
    await measure("espeak", EspeakSpeechSynthesizer(), text)


if __name__ == "__main__":
    asyncio.run(main())
