"""Drop a reasoning model's thinking from the start of its reply text.

Reasoning models served without a reasoning parser (Qwen3, DeepSeek-R1 distills, QwQ on vLLM,
llama.cpp or Ollama) put their chain of thought in ``content`` as ``<think>…</think>`` before
the answer. It is not the answer: shown to a reader it is noise, and parsed for tool calls or
findings it would run what the model only considered. A block never closed (the reply was cut
off while thinking) leaves no answer at all.

Only ONE block, at the very start, is thinking: the chat templates write it as
``<think>\\n…\\n</think>\\n\\n``, so its closing tag ends a line. A ``<think>`` anywhere else, or
one whose closing tag runs on into text (``<think>{thought}</think>{answer}`` quoted from code),
is part of the answer, and so are other tags (``<reasoning>`` is an XML element as often as not).
A reply whose server already split the reasoning out (``reasoning_content``) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

_OPEN_TAG, _CLOSE_TAG = "<think>", "</think>"
# the block, then the rest of the closing tag's line (blank), then a line break or the end
_BLOCK = re.compile(r"\s*<think>(.*?)</think>[ \t]*(?:\r?\n|\Z)", re.S | re.I)


def without_thinking(text: str) -> str:
    """``text`` without a leading ``<think>…</think>`` block; one opened at the start and never
    closed runs to the end (an answer that merely mentions the tag keeps it)."""
    start = text.lstrip()
    if start[: len(_OPEN_TAG)].lower() != _OPEN_TAG:
        return text
    match = _BLOCK.match(text)
    if match is not None:
        return text[match.end() :].strip()
    if _CLOSE_TAG not in start.lower():
        return ""  # cut off while thinking
    return text


def stream_without_thinking(
    pieces: Iterable[str], reasoned: Callable[[], bool] = lambda: False
) -> Iterator[str]:
    """Streamed text without a leading thinking block (held back until its end arrives);
    ``reasoned()`` true (the server sent ``reasoning_content``) keeps the text as it is."""
    buffer = ""
    deciding, trim = True, False
    for piece in pieces:
        if not deciding:
            if trim:  # the blank lines between the thinking and the answer
                piece = piece.lstrip()
                trim = not piece
            if piece:
                yield piece
            continue
        buffer += piece
        start = buffer.lstrip()
        if not start:
            continue
        if reasoned() or not _OPEN_TAG.startswith(start[: len(_OPEN_TAG)].lower()):
            deciding = False
        elif len(start) < len(_OPEN_TAG):
            continue  # could still become the tag: wait for more
        else:
            end = start.lower().find(_CLOSE_TAG)
            if end < 0:
                continue  # still thinking (or an answer that mentions the tag)
            after = start[end + len(_CLOSE_TAG) :].lstrip(" \t")
            if not after or (after.startswith("\r") and len(after) < 2):
                continue  # the closing tag's line has not ended yet
            deciding = False
            if after.startswith(("\n", "\r\n")):
                buffer = after.lstrip()
                trim = not buffer
        if not deciding and buffer:
            yield buffer
            buffer = ""
    if deciding and buffer:
        yield without_thinking(buffer)
