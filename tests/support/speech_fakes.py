"""Local fakes of the cloud speech services, over real HTTP (FakeHttpServer).

Each fake behaves like its service as far as our adapters can tell: it checks the key, the
voice, the request's size limit and (for SSML) that the markup is well-formed, and answers
real MP3 frames lasting ``SECONDS_PER_WORD`` per word divided by the requested speed,
behind an ID3 tag naming the voice (so two voices give different bytes). ``fail(...)``
scripts failures answered first, in order: ``bad_key``, ``quota``, ``rate_limited``
(429 + Retry-After), ``server_error`` (500), ``too_long``, ``unknown_voice``, ``timeout``.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import math
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import lameenc

from domain.audio import scan_mp3
from tests.support.fake_http import Reply

if TYPE_CHECKING:
    from tests.support.fake_http import FakeHttpServer, RecordedRequest

SECONDS_PER_WORD = 0.1
FRAME_S = 0.024  # 24 kHz MPEG-2 Layer III: 576 samples a frame
KEY = "good-key"
RETRY_AFTER_S = 0.3
_prefixes = itertools.count()


@functools.cache
def _block() -> bytes:
    """100 frames of a 440 Hz tone (lameenc, 24 kHz mono, 48 kbit/s: 144-byte frames)."""
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(48)
    encoder.set_in_sample_rate(24000)
    encoder.set_channels(1)
    encoder.set_quality(7)
    tone = [int(6000 * math.sin(2 * math.pi * 440 * i / 24000)) for i in range(576 * 104)]
    data = bytes(encoder.encode(struct.pack(f"<{len(tone)}h", *tone))) + bytes(encoder.flush())
    frames = data[: 100 * 144]
    assert scan_mp3(frames) is not None, "lame did not write 144-byte frames"
    return frames


def _frames(count: int) -> bytes:
    block = _block()
    return (block * (count // 100 + 1))[: count * 144]


def speech_mp3(text: str, voice: str, speed: float) -> bytes:
    """ID3 tag naming ``voice``, then MP3 lasting SECONDS_PER_WORD per word / speed."""
    words = max(1, len(text.split()))
    count = max(1, round(words * SECONDS_PER_WORD / speed / FRAME_S))
    body = b"\x03" + voice.encode()
    frame = b"TPE1" + _synchsafe(len(body)) + b"\x00\x00" + body
    return b"ID3\x04\x00\x00" + _synchsafe(len(frame)) + frame + _frames(count)


def _synchsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def ssml_text_and_rate(ssml: str) -> tuple[str, str | None, str | None]:
    """(plain text, prosody rate, voice name) of an SSML document; raises when malformed."""
    root = ET.fromstring(ssml)  # noqa: S314 - our own adapters' output, in tests
    rate = voice = None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "prosody":
            rate = element.get("rate")
        if tag == "voice":
            voice = element.get("name")
    return "".join(root.itertext()), rate, voice


@dataclass
class FakeSpeechService:
    """The common part of every fake: scripted failures, recorded texts and voices."""

    server: FakeHttpServer
    voices: frozenset[str]
    limit: int
    prefix: str = field(default_factory=lambda: f"/svc{next(_prefixes)}")
    failures: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    voices_used: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.server.url + self.prefix

    def fail(self, *failures: str) -> None:
        self.failures.extend(failures)

    def requests(self) -> list[RecordedRequest]:
        return [r for r in self.server.requests if r.path.startswith(self.prefix + "/")]

    def __call__(self, request: RecordedRequest) -> Reply:
        if self.failures:
            return self.failure(self.failures.pop(0))
        if not self.key_ok(request):
            return self.failure("bad_key")
        text, voice, speed, size = self.read(request)
        if size > self.limit:
            return self.failure("too_long")
        if voice not in self.voices:
            return self.failure("unknown_voice")
        self.texts.append(text)
        self.voices_used.append(voice)
        self.sizes.append(size)
        return self.audio(speech_mp3(text, voice, speed))

    def audio(self, mp3: bytes) -> Reply:
        return Reply(200, mp3, {"Content-Type": "audio/mpeg"})

    def failure(self, kind: str) -> Reply:
        if kind == "rate_limited":
            return Reply.json({"error": "slow down"}, 429, {"Retry-After": str(RETRY_AFTER_S)})
        if kind == "server_error":
            return Reply.json({"error": "internal"}, 500)
        if kind == "timeout":
            return Reply(200, b"", {}, delay_s=2.0)
        return self.refusal(kind)

    # --- what each service does its own way --------------------------------------------

    def key_ok(self, request: RecordedRequest) -> bool:
        raise NotImplementedError

    def read(self, request: RecordedRequest) -> tuple[str, str, float, int]:
        """(text, voice, speed, size counted against the limit) of a request."""
        raise NotImplementedError

    def refusal(self, kind: str) -> Reply:
        raise NotImplementedError


class FakeGoogleCloudTts(FakeSpeechService):
    """``POST /v1/text:synthesize``: JSON in, base64 MP3 in JSON out; 5,000 bytes of SSML."""

    def __init__(self, server: FakeHttpServer) -> None:
        voices = {"en-US-Neural2-F", "en-US-Neural2-D", "en-US-Neural2-H", "en-US-Neural2-J",
                  "en-GB-Neural2-A", "en-GB-Neural2-B"}  # fmt: skip
        super().__init__(server, frozenset(voices), 5000)
        server.route("POST", self.prefix + "/v1/text:synthesize", self)
        self.tokens: set[str] = set()

    def key_ok(self, request: RecordedRequest) -> bool:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        return request.headers.get("x-goog-api-key") == KEY or bearer in self.tokens

    def read(self, request: RecordedRequest) -> tuple[str, str, float, int]:
        body = request.json()
        ssml = body["input"]["ssml"]
        text, _, _ = ssml_text_and_rate(ssml)
        assert body["audioConfig"]["audioEncoding"] == "MP3"
        return text, body["voice"]["name"], body["audioConfig"]["speakingRate"], len(ssml.encode())

    def audio(self, mp3: bytes) -> Reply:
        return Reply.json({"audioContent": base64.b64encode(mp3).decode()})

    def refusal(self, kind: str) -> Reply:
        def error(status: int, state: str, message: str, reason: str = "") -> Reply:
            details = [{"reason": reason}] if reason else []
            payload = {"code": status, "message": message, "status": state, "details": details}
            return Reply.json({"error": payload}, status)

        return {
            "bad_key": error(400, "INVALID_ARGUMENT", "API key not valid.", "API_KEY_INVALID"),
            "quota": error(429, "RESOURCE_EXHAUSTED", "Quota exceeded: requests per day."),
            "too_long": error(400, "INVALID_ARGUMENT", "input is longer than 5000 bytes."),
            "unknown_voice": error(400, "INVALID_ARGUMENT", "Voice does not exist."),
        }[kind]


class FakeAzureSpeech(FakeSpeechService):
    """``POST /cognitiveservices/v1``: SSML in, MP3 out (no size limit we reach; a 10-minute
    cap on audio, checked here as 9,000 characters of text at speed 1)."""

    def __init__(self, server: FakeHttpServer) -> None:
        voices = {"en-US-JennyNeural", "en-US-GuyNeural", "en-US-AnaNeural", "en-US-AriaNeural",
                  "en-GB-SoniaNeural", "en-GB-RyanNeural"}  # fmt: skip
        super().__init__(server, frozenset(voices), 9000)
        server.route("POST", self.prefix + "/cognitiveservices/v1", self)

    def key_ok(self, request: RecordedRequest) -> bool:
        return request.headers.get("ocp-apim-subscription-key") == KEY

    def read(self, request: RecordedRequest) -> tuple[str, str, float, int]:
        assert request.headers["content-type"] == "application/ssml+xml"
        assert request.headers["x-microsoft-outputformat"].endswith("mp3")
        text, rate, voice = ssml_text_and_rate(request.body.decode())
        speed = float(rate or "1")
        return text, voice or "", speed, round(len(text) / speed)

    def refusal(self, kind: str) -> Reply:
        return {
            "bad_key": Reply.text("", 401),
            "quota": Reply.text("Out of call volume quota for SpeechServices F0.", 403),
            "too_long": Reply.text("Request too long", 400),
            "unknown_voice": Reply.text("Unsupported voice", 400),
        }[kind]


class FakeElevenLabs(FakeSpeechService):
    """``POST /v1/text-to-speech/{voice_id}``: JSON in, MP3 out; 5,000 characters."""

    def __init__(self, server: FakeHttpServer) -> None:
        voices = {"21m00Tcm4TlvDq8ikWAM", "pNInz6obpgDQGcFmaJgB", "jBpfuIE2acCO8z3wKNLl",
                  "EXAVITQu4vr4xnSDxMaL", "JBFqnCBsd6RMkjVDRZzb"}  # fmt: skip
        super().__init__(server, frozenset(voices), 5000)
        for voice in [*voices, "no-such-voice"]:
            server.route("POST", f"{self.prefix}/v1/text-to-speech/{voice}", self)

    def key_ok(self, request: RecordedRequest) -> bool:
        return request.headers.get("xi-api-key") == KEY

    def read(self, request: RecordedRequest) -> tuple[str, str, float, int]:
        body = request.json()
        assert body["model_id"] == "test-model"
        assert request.param("output_format") == "mp3_44100_128"
        voice = request.path.rsplit("/", 1)[-1]
        return body["text"], voice, body["voice_settings"]["speed"], len(body["text"])

    def refusal(self, kind: str) -> Reply:
        def detail(status: int, state: str) -> Reply:
            return Reply.json({"detail": {"status": state, "message": state}}, status)

        return {
            "bad_key": detail(401, "invalid_api_key"),
            "quota": detail(401, "quota_exceeded"),
            "too_long": detail(400, "max_character_limit_exceeded"),
            "unknown_voice": detail(404, "voice_not_found"),
        }[kind]


class FakePolly(FakeSpeechService):
    """Polly's REST-JSON ``POST /v1/speech``; errors named by ``x-amzn-ErrorType`` as AWS
    does; 3,000 characters of SSML (tags included)."""

    def __init__(self, server: FakeHttpServer) -> None:
        voices = {"Joanna", "Matthew", "Ivy", "Kevin", "Amy", "Brian"}
        super().__init__(server, frozenset(voices), 3000)
        self.prefix = ""  # botocore posts to the endpoint's root
        server.route("POST", "/v1/speech", self)

    def key_ok(self, request: RecordedRequest) -> bool:
        return f"Credential={KEY}/" in request.headers.get("authorization", "")

    def read(self, request: RecordedRequest) -> tuple[str, str, float, int]:
        body = request.json()
        assert (body["Engine"], body["OutputFormat"], body["TextType"]) == ("neural", "mp3", "ssml")
        text, rate, _ = ssml_text_and_rate(body["Text"])
        match = re.fullmatch(r"(\d+)%", rate or "100%")
        assert match, rate
        return text, body["VoiceId"], int(match[1]) / 100, len(body["Text"])

    def requests(self) -> list[RecordedRequest]:
        return [r for r in self.server.requests if r.path == "/v1/speech"]

    def failure(self, kind: str) -> Reply:
        if kind == "rate_limited":
            return self._error(400, "ThrottlingException", "Rate exceeded")
        if kind == "server_error":
            return self._error(500, "ServiceFailureException", "internal")
        return super().failure(kind)

    def refusal(self, kind: str) -> Reply:
        return {
            "bad_key": self._error(403, "UnrecognizedClientException", "invalid token"),
            "too_long": self._error(400, "TextLengthExceededException", "too long"),
            "unknown_voice": self._error(400, "ValidationException", "bad VoiceId"),
        }[kind]

    @staticmethod
    def _error(status: int, code: str, message: str) -> Reply:
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": f"{code}:"}
        return Reply(status, json.dumps({"message": message}).encode(), headers)


CLOUD_ENGINES = ("google", "polly", "azure", "elevenlabs")


def cloud_engine(
    name: str,
    server: FakeHttpServer,
    client: Any,
    policy: Any,
    *,
    key: str = KEY,
    voice_types: dict[str, str] | None = None,
) -> tuple[FakeSpeechService, Any]:
    """(the fake service, our adapter pointed at it) for cloud engine ``name``."""
    if name == "google":
        from adapters.google_tts import GoogleSpeechSynthesizer

        google = FakeGoogleCloudTts(server)
        return google, GoogleSpeechSynthesizer(
            client, policy, api_key=key, base_url=google.base_url, voice_types=voice_types
        )
    if name == "azure":
        from adapters.azure_tts import AzureSpeechSynthesizer

        azure = FakeAzureSpeech(server)
        return azure, AzureSpeechSynthesizer(
            client, policy, key=key, base_url=azure.base_url, voice_types=voice_types
        )
    if name == "elevenlabs":
        from adapters.elevenlabs import ElevenLabsSpeechSynthesizer

        eleven = FakeElevenLabs(server)
        return eleven, ElevenLabsSpeechSynthesizer(
            client, policy, api_key=key, model="test-model", base_url=eleven.base_url,
            voice_types=voice_types,
        )  # fmt: skip
    if name == "polly":
        import aioboto3

        from adapters.polly import PollySpeechSynthesizer

        polly = FakePolly(server)
        session = aioboto3.Session(
            aws_access_key_id=key, aws_secret_access_key="secret", region_name="us-east-1"
        )
        return polly, PollySpeechSynthesizer(
            policy, region="us-east-1", endpoint_url=server.url, session=session,
            voice_types=voice_types,
        )  # fmt: skip
    raise ValueError(name)
