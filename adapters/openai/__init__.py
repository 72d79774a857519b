"""OpenAI (or any OpenAI-compatible server) adapters: chapter planning and summaries."""

from __future__ import annotations

from adapters.openai.planner import OpenAIChapterPlanner
from adapters.openai.summarizer import OpenAISummarizer

__all__ = ["OpenAIChapterPlanner", "OpenAISummarizer"]
