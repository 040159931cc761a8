"""What the scripted server puts on the wire: chat-completion objects and SSE chunks."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from repoagent.testing.llm_replies import Reply

Body = dict[str, Any]


def _estimate_usage(reply: Reply, body: Body) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages", [])) // 4 + 1
    message = reply.message or {}
    completion_tokens = len(json.dumps(message.get("content") or message.get("tool_calls"))) // 4
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens + 1,
        "total_tokens": prompt + completion_tokens + 1,
    }


def completion(reply: Reply, body: Body) -> dict[str, Any]:
    """The non-streaming chat-completion object for ``reply`` answering ``body``."""
    message = dict(reply.message or {"role": "assistant", "content": ""})
    choices = [
        {"index": i, "message": message, "finish_reason": reply.finish_reason, "logprobs": None}
        for i in range(reply.choices)
    ]
    return {
        "id": f"chatcmpl-scripted-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "scripted-model"),
        "choices": choices,
        "usage": reply.usage or _estimate_usage(reply, body),
    }


def stream_chunks(reply: Reply, body: Body) -> Iterator[dict[str, Any]]:
    """The SSE chunk objects for ``reply``: role, content pieces, tool-call deltas, finish, usage."""
    base = {
        "id": f"chatcmpl-scripted-{time.monotonic_ns()}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "scripted-model"),
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    message = reply.message or {}
    yield chunk({"role": "assistant", "content": ""})
    content = message.get("content") or ""
    for start in range(0, len(content), 8):
        yield chunk({"content": content[start : start + 8]})
    for index, call in enumerate(message.get("tool_calls") or []):
        function = call.get("function", {})
        arguments = function.get("arguments", "")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments)
        half = len(arguments) // 2
        head: dict[str, Any] = {
            "index": index,
            "type": "function",
            "function": {"name": function.get("name"), "arguments": arguments[:half]},
        }
        if call.get("id"):
            head["id"] = call["id"]
        yield chunk({"tool_calls": [head]})
        rest = {"index": index, "function": {"arguments": arguments[half:]}}
        yield chunk({"tool_calls": [rest]})
    yield chunk({}, reply.finish_reason)
    if (body.get("stream_options") or {}).get("include_usage"):
        yield {**base, "choices": [], "usage": reply.usage or _estimate_usage(reply, body)}
