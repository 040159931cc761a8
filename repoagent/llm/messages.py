"""Messages are plain OpenAI-format dicts; our metadata rides under one key, stripped here.

``META_KEY`` (``"_repoagent"``) may hold anything JSON (the stage that wrote a message, the
candidate it belongs to…); checkpoints and trajectories keep it, servers never see it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

META_KEY = "_repoagent"


def prepare_messages(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``messages`` fit to send: metadata stripped, tool-call arguments as JSON text."""
    prepared = []
    for message in messages:
        clean = {k: v for k, v in message.items() if k != META_KEY}
        if clean.get("tool_calls"):
            clean["tool_calls"] = [_string_arguments(call) for call in clean["tool_calls"]]
        prepared.append(clean)
    return prepared


def _string_arguments(call: Mapping[str, Any]) -> dict[str, Any]:
    function = dict(call.get("function") or {})
    if not isinstance(function.get("arguments"), str):
        function["arguments"] = json.dumps(function.get("arguments") or {}, ensure_ascii=False)
    return {**call, "type": call.get("type", "function"), "function": function}


def with_meta(message: Mapping[str, Any], **meta: Any) -> dict[str, Any]:
    """A copy of ``message`` with ``meta`` merged into its ``_repoagent`` metadata."""
    merged = {**(message.get(META_KEY) or {}), **meta}
    return {**message, META_KEY: merged}


def meta_of(message: Mapping[str, Any]) -> dict[str, Any]:
    """The repoagent metadata of ``message`` (empty if none)."""
    return dict(message.get(META_KEY) or {})


def without_native_tools(
    messages: Sequence[Mapping[str, Any]], tools: Sequence[Mapping[str, Any]], instructions: str
) -> list[dict[str, Any]]:
    """Rewrite a tool conversation for a server without function calling.

    The tool list goes into the system message (``instructions`` with ``{tools}`` filled in);
    earlier assistant calls become their JSON text and tool results become user messages, so
    the server sees only system/user/assistant text. The reply is parsed by the repair layer.
    """
    specs = [t.get("function", t) for t in tools]
    rendered = "\n".join(json.dumps(s, ensure_ascii=False, sort_keys=True) for s in specs)
    note = instructions.replace("{tools}", rendered)
    names: dict[str, str] = {}
    converted: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        if role == "assistant" and message.get("tool_calls"):
            calls = []
            for call in message["tool_calls"]:
                function = call.get("function") or {}
                names[str(call.get("id"))] = str(function.get("name"))
                arguments = function.get("arguments") or "{}"
                if isinstance(arguments, str):
                    arguments = json.loads(arguments) if arguments.strip() else {}
                calls.append({"name": function.get("name"), "arguments": arguments})
            text = json.dumps(calls[0] if len(calls) == 1 else calls, ensure_ascii=False)
            prose = message.get("content") or ""
            converted.append({"role": "assistant", "content": f"{prose}\n{text}".strip()})
        elif role == "tool":
            name = names.get(str(message.get("tool_call_id")), "the tool")
            converted.append(
                {"role": "user", "content": f"Result of {name}:\n{message.get('content') or ''}"}
            )
        else:
            converted.append(dict(message))
    if converted and converted[0].get("role") == "system":
        converted[0]["content"] = f"{converted[0].get('content') or ''}\n\n{note}".strip()
    else:
        converted.insert(0, {"role": "system", "content": note})
    return converted
