"""Loudness normalisation: the gain is exact (global_gain steps of 2^(1/4)) in every
Layer III side-information layout, chapters of different loudness come out alike, and
the loudest sample stays under the ceiling."""

from __future__ import annotations

import io
import math

import av
import lameenc
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.loudness import (
    MAX_STEPS,
    PEAK_CEILING_DBFS,
    STEP_DB,
    TARGET_LUFS,
    PooledLoudnessNormalizer,
    apply_gain,
    gain_steps,
    measure,
    normalize_mp3,
)
from adapters.native.pool import ChildProcessPool
from domain.audio import scan_mp3


def speechlike(rate: int, seconds: float, level_dbfs: float) -> np.ndarray:
    """Syllable-like bursts of a voiced tone, peaking at ``level_dbfs``."""
    t = np.arange(int(rate * seconds)) / rate
    voice = np.sin(2 * np.pi * 180 * t) + 0.5 * np.sin(2 * np.pi * 360 * t + 1)
    envelope = np.clip(np.sin(2 * np.pi * 3 * t), 0, None) ** 2
    signal = voice * envelope
    return signal / np.abs(signal).max() * 10 ** (level_dbfs / 20)


def mp3(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(channels)
    encoder.set_quality(5)
    pcm = (samples * 32767).astype("<i2")
    if channels == 2:
        pcm = np.repeat(pcm, 2)
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())


def decoded(data: bytes) -> np.ndarray:
    with av.open(io.BytesIO(data)) as source:
        return np.concatenate([f.to_ndarray().reshape(-1) for f in source.decode(audio=0)])


LAYOUTS = [(44100, 1), (44100, 2), (22050, 1), (22050, 2)]  # MPEG-1 and MPEG-2, mono/stereo


@pytest.mark.parametrize(("rate", "channels"), LAYOUTS)
@pytest.mark.parametrize("steps", [4, -6])
def test_a_step_scales_the_decoded_audio_by_exactly_two_to_the_quarter(
    rate: int, channels: int, steps: int
) -> None:
    original = mp3(speechlike(rate, 3.0, -20.0), rate, channels)
    gained = apply_gain(original, steps)
    assert len(gained) == len(original) and gained != original
    before, after = decoded(original), decoded(gained)
    loud = np.abs(before) > 1e-3
    assert np.median(after[loud] / before[loud]) == pytest.approx(2 ** (steps / 4), rel=1e-3)
    assert scan_mp3(gained) == scan_mp3(original)


@pytest.mark.parametrize(("rate", "channels"), LAYOUTS)
def test_quiet_and_loud_chapters_come_out_at_the_target(rate: int, channels: int) -> None:
    results = []
    for level in (-40.0, -6.0):
        made = mp3(speechlike(rate, 4.0, level), rate, channels)
        before = measure(made)
        after = measure(normalize_mp3(made))
        assert before is not None and after is not None
        assert abs(after[0] - TARGET_LUFS) <= STEP_DB / 2 + 0.05
        assert after[1] <= PEAK_CEILING_DBFS
        results.append((before[0], after[0]))
    (quiet_before, quiet_after), (loud_before, loud_after) = results
    assert loud_before - quiet_before > 30  # they started 34 dB apart...
    assert abs(loud_after - quiet_after) <= STEP_DB  # ...and end within one step


def test_the_peak_ceiling_limits_the_gain() -> None:
    rate = 22050
    signal = speechlike(rate, 4.0, -40.0)
    signal[rate] = 0.5  # one click at -6 dBFS over quiet speech
    made = mp3(signal, rate)
    measured = measure(made)
    assert measured is not None
    loudness, peak = measured
    wanted = round((TARGET_LUFS - loudness) / STEP_DB)
    steps = gain_steps(loudness, peak)
    assert 0 < steps < wanted
    after = measure(normalize_mp3(made))
    assert after is not None and after[1] <= PEAK_CEILING_DBFS


def test_audio_too_short_or_silent_is_kept_as_it_is() -> None:
    short = mp3(speechlike(22050, 0.2, -40.0), 22050)
    assert normalize_mp3(short) == short  # no 400 ms block to measure: -70 LUFS
    silent = mp3(np.zeros(22050 * 2), 22050)
    assert normalize_mp3(silent) == silent
    assert normalize_mp3(b"not audio") == b"not audio"


@given(
    loudness=st.floats(-90, 0, allow_nan=False),
    peak=st.floats(-80, 6, allow_nan=False),
)
def test_gain_steps_stay_bounded_and_keep_the_peak_under_the_ceiling(
    loudness: float, peak: float
) -> None:
    steps = gain_steps(loudness, peak)
    assert -MAX_STEPS <= steps <= MAX_STEPS
    if steps > 0:
        assert peak + steps * STEP_DB <= PEAK_CEILING_DBFS
        assert loudness + steps * STEP_DB <= TARGET_LUFS + STEP_DB / 2
    if loudness < -60:
        assert steps == 0
    elif steps < 0:
        assert math.isclose(steps, round((TARGET_LUFS - loudness) / STEP_DB)) or steps == (
            -MAX_STEPS
        )


async def test_the_pooled_normalizer_runs_in_a_child_process() -> None:
    pool = ChildProcessPool("audio", max_workers=1, timeout_s=60.0)
    try:
        made = mp3(speechlike(22050, 4.0, -40.0), 22050)
        normalized = await PooledLoudnessNormalizer(pool).normalize(made)
    finally:
        await pool.aclose()
    after = measure(normalized)
    assert after is not None and abs(after[0] - TARGET_LUFS) <= STEP_DB / 2 + 0.05
