"""Drop a reasoning model's thinking from its reply text.

Reasoning models served without a reasoning parser (Qwen3, DeepSeek-R1 distills, QwQ on vLLM,
llama.cpp or Ollama) put their chain of thought in ``content`` as ``<think>…</think>`` before
the answer. It is not the answer: shown to a reader it is noise, and parsed for tool calls or
findings it would run what the model only considered. A block never closed (the reply was cut
off while thinking) leaves no answer at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_TAGS = ("think", "thinking", "reasoning")
_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_OPEN = re.compile(r"^\s*<(think|thinking|reasoning)>", re.I)


def without_thinking(text: str) -> str:
    """``text`` without ``<think>…</think>`` blocks; one opened at the start and never closed
    runs to the end (an answer that merely mentions the tag keeps it)."""
    if "<" not in text:
        return text
    stripped = _BLOCK.sub("", text)
    if _OPEN.match(stripped):
        return ""
    return stripped.strip() if stripped != text else text


def stream_without_thinking(pieces: Iterable[str]) -> Iterator[str]:
    """Streamed text without a leading thinking block (held back until its end arrives)."""
    buffer = ""
    deciding, thinking, close = True, False, ""
    for piece in pieces:
        if not deciding and not thinking:
            yield piece
            continue
        buffer += piece
        if deciding:
            start = buffer.lstrip().lower()
            if any(f"<{t}>".startswith(start) for t in _TAGS) and len(start) < 12:
                continue  # could still become a tag: wait for more
            match = _OPEN.match(buffer)
            deciding = False
            if match is None:
                yield buffer
                buffer = ""
                continue
            thinking, close = True, f"</{match.group(1).lower()}>"
        end = buffer.lower().find(close)
        if end < 0:
            continue
        thinking = False
        rest = buffer[end + len(close) :].lstrip()
        buffer = ""
        if rest:
            yield rest
    if deciding and buffer:
        yield buffer
