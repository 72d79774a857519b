"""Answers in the shapes the OpenAI API uses, for the local fake server."""

from __future__ import annotations

from tests.support.fake_http import Reply


def chat_completion(
    content: str | None, refusal: str | None = None, model: str = "gpt-test"
) -> Reply:
    """A chat completion carrying ``content`` (or a ``refusal``)."""
    return Reply.json(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
        }
    )
