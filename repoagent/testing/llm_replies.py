"""Reply builders for :class:`~repoagent.testing.ScriptedLLMServer`.

Each builder returns a :class:`Reply`: the HTTP status, headers and body the server sends for one
``POST /v1/chat/completions``. Successful replies carry an assistant ``message`` that the server
wraps in a chat-completion object (or turns into SSE chunks when the client asked for a stream).
Faults are plain replies too: any status with a body and headers, a raw body (HTML, truncated
JSON), a delay before answering.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

ArgumentsShape = Literal["string", "object", "empty"]
LeakStyle = Literal["json", "json_array", "parameters", "pythonic", "python_tag", "fenced"]
OverflowWording = Literal["vllm", "llamacpp", "openai"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer to a chat-completion request."""

    message: dict[str, Any] | None = None
    """The assistant message (``role``, ``content``, ``tool_calls``) of a successful reply."""
    finish_reason: str = "stop"
    usage: dict[str, Any] | None = None
    """``usage`` object; ``None`` derives a small one from the request and reply sizes."""
    status: int = 200
    body: bytes | str | dict[str, Any] | None = None
    """Raw body for errors and malformed replies; overrides ``message`` when set."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (past the client timeout to provoke a timeout)."""
    choices: int = 1
    """Number of choices in a successful reply (0 to send a reply with no choices)."""
    cut_stream: bool = False
    """When streamed: stop halfway, without a finish reason or ``[DONE]`` (a dropped stream)."""

    def after(self, seconds: float) -> Reply:
        """Return this reply, sent after waiting ``seconds``."""
        return replace(self, delay=seconds)

    def with_usage(
        self, prompt_tokens: int, completion_tokens: int, cached_tokens: int | None = None
    ) -> Reply:
        """Return this reply with an explicit ``usage`` object."""
        return replace(self, usage=usage(prompt_tokens, completion_tokens, cached_tokens))


def usage(prompt_tokens: int, completion_tokens: int, cached_tokens: int | None = None) -> dict:
    """Build an OpenAI ``usage`` object, with ``prompt_tokens_details.cached_tokens`` if given."""
    result: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    if cached_tokens is not None:
        result["prompt_tokens_details"] = {"cached_tokens": cached_tokens}
    return result


def text(content: str, *, finish_reason: str = "stop") -> Reply:
    """A plain assistant answer."""
    return Reply(message={"role": "assistant", "content": content}, finish_reason=finish_reason)


def truncated(content: str = "The answer was cut") -> Reply:
    """An answer cut off by ``max_tokens`` (``finish_reason: length``)."""
    return text(content, finish_reason="length")


@dataclass(frozen=True)
class Call:
    """A tool call to put in a reply: name and arguments (any JSON value, or raw text)."""

    name: str
    arguments: Any = field(default_factory=dict)
    id: str | None = None


CallLike = Call | tuple[str, Any] | Mapping[str, Any]


def _as_call(item: CallLike) -> Call:
    if isinstance(item, Call):
        return item
    if isinstance(item, tuple):
        return Call(item[0], item[1])
    return Call(str(item["name"]), item.get("arguments", {}), item.get("id"))


def tool_calls(
    *calls: CallLike,
    content: str | None = None,
    arguments_as: ArgumentsShape = "string",
    ids: bool = True,
) -> Reply:
    """Proper ``tool_calls`` (several per reply), arguments as JSON string, object or ``""``."""
    entries = []
    for index, item in enumerate(calls):
        call = _as_call(item)
        arguments: Any
        if arguments_as == "empty":
            arguments = ""
        elif arguments_as == "object" or isinstance(call.arguments, str):
            arguments = call.arguments
        else:
            arguments = json.dumps(call.arguments)
        entry: dict[str, Any] = {
            "type": "function",
            "function": {"name": call.name, "arguments": arguments},
        }
        if ids:
            entry["id"] = call.id or f"call_{index}_{call.name}"
        entries.append(entry)
    message = {"role": "assistant", "content": content, "tool_calls": entries}
    return Reply(message=message, finish_reason="tool_calls")


def pythonic(calls: Sequence[CallLike]) -> str:
    """Render calls in Llama 4's pythonic format: ``[grep(pattern="x"), read_file(path="a")]``."""
    rendered = []
    for item in calls:
        call = _as_call(item)
        args = ", ".join(f"{key}={_py_literal(value)}" for key, value in call.arguments.items())
        rendered.append(f"{call.name}({args})")
    return "[" + ", ".join(rendered) + "]"


def _py_literal(value: Any) -> str:
    # ast.unparse of a constant tree gives valid Python literals (True/None, escaped strings).
    return ast.unparse(ast.parse(repr(value), mode="eval"))


def leaked_calls(
    *calls: CallLike, style: LeakStyle = "json", prose: str = "", fence_lang: str = "json"
) -> Reply:
    """Tool calls written into ``content`` instead of ``tool_calls``, in one of the leak styles.

    ``json``: one object ``{"name", "arguments"}`` (or an array when several calls);
    ``json_array``: always an array; ``parameters``: like json with a ``parameters`` key;
    ``pythonic``: ``[f(a=1)]``; ``python_tag``: pythonic inside ``<|python_start|>…<|python_end|>``;
    ``fenced``: JSON inside a Markdown code fence.
    """
    items = [_as_call(c) for c in calls]
    if style in ("pythonic", "python_tag"):
        body = pythonic(items)
        if style == "python_tag":
            body = f"<|python_start|>{body}<|python_end|>"
    else:
        key = "parameters" if style == "parameters" else "arguments"
        objects = [{"name": c.name, key: c.arguments} for c in items]
        payload: Any = objects[0] if len(objects) == 1 and style != "json_array" else objects
        body = json.dumps(payload, indent=2 if style == "fenced" else None)
        if style == "fenced":
            body = f"```{fence_lang}\n{body}\n```"
    content = f"{prose}\n{body}" if prose else body
    return Reply(message={"role": "assistant", "content": content}, finish_reason="stop")


def http_error(status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> Reply:
    """Any HTTP status with an optional body (dict → JSON, str/bytes → raw) and headers."""
    if body is None:
        body = {"error": {"message": f"scripted HTTP {status}", "type": "scripted_error"}}
    return Reply(status=status, body=body, headers=dict(headers or {}))


def rate_limited(retry_after: float | None = 1, status: int = 429) -> Reply:
    """A 429 (by default) with a ``Retry-After`` header in seconds."""
    headers = {} if retry_after is None else {"Retry-After": _seconds(retry_after)}
    return http_error(status, {"error": {"message": "Rate limit reached", "code": 429}}, headers)


def server_error(status: int = 500, message: str = "Internal Server Error") -> Reply:
    """A 5xx error with an OpenAI-style JSON body."""
    return http_error(status, {"error": {"message": message, "type": "server_error"}})


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_OVERFLOW_BODIES: dict[str, dict[str, Any]] = {
    # vLLM's OpenAI server: 400 with object "error" and a ValueError text.
    "vllm": {
        "object": "error",
        "message": "This model's maximum context length is 131072 tokens. However, you "
        "requested 140211 tokens (136115 in the messages, 4096 in the completion). "
        "Please reduce the length of the messages or completion.",
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    },
    # llama.cpp server: error type exceed_context_size_error.
    "llamacpp": {
        "error": {
            "code": 400,
            "message": "the request exceeds the available context size, try increasing it",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 9000,
            "n_ctx": 8192,
        }
    },
    # OpenAI and most hosted gateways.
    "openai": {
        "error": {
            "message": "This model's maximum context length is 128000 tokens. However, your "
            "messages resulted in 150000 tokens. Please reduce the length of the messages.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "context_length_exceeded",
        }
    },
}


def context_overflow(wording: OverflowWording = "vllm") -> Reply:
    """A 400 context-overflow error in the wording of vLLM, llama.cpp or OpenAI."""
    return http_error(400, _OVERFLOW_BODIES[wording])


def raw(body: bytes | str, status: int = 200, content_type: str = "application/json") -> Reply:
    """A raw body (truncated or invalid JSON, an HTML error page) with the given content type."""
    return Reply(status=status, body=body, headers={"Content-Type": content_type})


def html_error_page(status: int = 502) -> Reply:
    """A proxy's HTML error page instead of JSON."""
    page = "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
    return raw(page, status=status, content_type="text/html")


def dropped_stream(content: str = "An answer that never ends because the connection") -> Reply:
    """A streamed answer whose connection drops halfway."""
    return replace(text(content), cut_stream=True)


def no_choices() -> Reply:
    """A 200 reply whose ``choices`` list is empty."""
    return Reply(message={"role": "assistant", "content": ""}, choices=0)
