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
