"""Amazon Polly's wire protocol against moto's server: the request aioboto3 signs and sends
is one Polly accepts. moto answers 8 NUL bytes instead of MP3, so our adapter must refuse
that audio (valid MP3 from Polly's shape is tested on the fake in test_cloud_speech.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aioboto3
import pytest

from adapters.polly import PollySpeechSynthesizer
from adapters.resilience import RetryPolicy
from domain.errors import TransientUpstreamError, UpstreamError
from tests.support.s3 import CREDENTIALS, moto_server

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["moto_server"]


@pytest.fixture
async def polly(moto_server: str) -> AsyncIterator[PollySpeechSynthesizer]:
    session = aioboto3.Session(**CREDENTIALS, region_name="us-east-1")
    engine = PollySpeechSynthesizer(
        RetryPolicy(retries=0, timeout_s=10), region="us-east-1", endpoint_url=moto_server,
        session=session,
    )  # fmt: skip
    yield engine
    await engine.aclose()


async def test_moto_accepts_the_request_and_its_non_mp3_answer_is_refused(
    polly: PollySpeechSynthesizer,
) -> None:
    with pytest.raises(UpstreamError, match=r"not MP3|without MP3") as caught:
        await polly.synthesize('Tom & Jerry say "<hi>".', language="en", voice="male")

    assert not isinstance(caught.value, TransientUpstreamError)


async def test_moto_refuses_a_voice_polly_does_not_have(moto_server: str) -> None:
    session = aioboto3.Session(**CREDENTIALS, region_name="us-east-1")
    engine = PollySpeechSynthesizer(
        RetryPolicy(retries=0, timeout_s=10), region="us-east-1", endpoint_url=moto_server,
        session=session, voice_types={"male": "Nobody"},
    )  # fmt: skip
    try:
        with pytest.raises(UpstreamError) as caught:
            await engine.synthesize("Hello.", language="en", voice="male")
    finally:
        await engine.aclose()

    assert "InvalidParameterValue" in caught.value.message
