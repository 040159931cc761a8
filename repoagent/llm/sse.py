"""Read a chat-completion stream the way servers actually send it.

Server-sent events (``data:`` lines, an event ending at a blank line, ``[DONE]`` at the end), but
also the quirks of OpenAI-compatible servers: a server or proxy that ignores ``stream: true`` and
answers with one JSON completion; a stream that ends with ``[DONE]`` but never sends a
``finish_reason``; an ``error`` object in the middle of the stream; chunks whose ``choices`` are
not objects. Parsed here (not by the ``openai`` client's stream) so that ``[DONE]`` can be told
apart from a dropped connection.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

DONE = "[DONE]"


@dataclass
class StreamState:
    """What a stream said besides its text."""

    finish_reason: str | None = None
    usage: Any = None
    done: bool = False
    """``[DONE]`` arrived (or the whole reply came as one JSON completion)."""
    error: str | None = None
    reasoned: bool = False
    """The server sent the model's reasoning apart (``reasoning_content``): the text is answer."""
    errors: list[str] = field(default_factory=list)


#: How a line of a server-sent event stream can start (a field, or ":" for a comment).
_SSE_FIELDS = ("data:", ":", "event:", "id:", "retry:")


def peek_is_sse(lines: Iterable[str]) -> tuple[bool, Iterator[str]]:
    """Whether a body is an event stream, told by its first non-blank line (servers label
    streams ``application/json`` or ``x-ndjson`` too), and all of its lines to read on."""
    rest = iter(lines)
    head: list[str] = []
    for line in rest:
        head.append(line)
        if line.strip():
            return line.lstrip().startswith(_SSE_FIELDS), itertools.chain(head, rest)
    return False, iter(head)


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined with newlines)."""
    data: list[str] = []
    for line in lines:
        if not line.strip():
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith("data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
        # event:, id:, retry: and ": comments" carry nothing we need
    if data:
        yield "\n".join(data)


def stream_text(lines: Iterable[str], state: StreamState) -> Iterator[str]:
    """Yield the content pieces of an SSE chat stream; record finish, usage and errors."""
    for data in sse_data(lines):
        if data.strip() == DONE:
            state.done = True
            return
        try:
            chunk = json.loads(data)
        except ValueError:
            continue  # a keep-alive or a proxy's junk line: not part of the answer
        if not isinstance(chunk, dict):
            continue
        if chunk.get("error"):
            state.error = _error_message(chunk["error"])
            return
        yield from chunk_text(chunk, state)


def chunk_text(chunk: dict[str, Any], state: StreamState) -> Iterator[str]:
    """The text of one chunk (``delta``) or of a whole completion (``message``)."""
    if chunk.get("usage"):
        state.usage = chunk["usage"]
    choices = chunk.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        if not isinstance(choice, dict):
            continue
        if choice.get("finish_reason"):
            state.finish_reason = str(choice["finish_reason"])
        part = choice.get("delta") or choice.get("message") or {}
        if isinstance(part, dict) and has_reasoning(part):
            state.reasoned = True
        text = part.get("content") if isinstance(part, dict) else None
        if isinstance(text, str) and text:
            yield text


def has_reasoning(message: Mapping[str, Any]) -> bool:
    """Whether a message (or delta) carries reasoning apart from its content (vLLM, DeepSeek)."""
    return any(message.get(key) for key in ("reasoning_content", "reasoning"))


def _error_message(error: Any) -> str:
    if isinstance(error, dict):
        error = error.get("message") or json.dumps(error)
    return " ".join(str(error).split())[:300]
