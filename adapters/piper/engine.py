"""The child side of Piper: the ONNX voice loaded once per child, PCM encoded to MP3.

``speak_mp3`` runs in a ChildProcessPool child, never in the server process (onnxruntime
and Piper's espeak-ng phonemizer are native code).
"""

from __future__ import annotations

from typing import Any

__all__ = ["speak_mp3"]

_voices: dict[str, Any] = {}


def _voice(model: str) -> Any:
    voice = _voices.get(model)
    if voice is None:
        from piper import PiperVoice

        voice = PiperVoice.load(model, config_path=f"{model}.json")
        _voices[model] = voice
    return voice


def speak_mp3(model: str, chunks: list[str], length_scale: float, bitrate_kbps: int) -> bytes:
    """MP3 (mono, the voice's sample rate) of ``chunks`` spoken in turn by the voice
    ``model`` (an .onnx file with its .onnx.json beside it)."""
    import lameenc
    from piper import SynthesisConfig

    voice = _voice(model)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(voice.config.sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    config = SynthesisConfig(length_scale=length_scale)
    out = bytearray()
    for text in chunks:
        for chunk in voice.synthesize(text, config):
            out += encoder.encode(chunk.audio_int16_bytes)
    out += encoder.flush()
    return bytes(out)
