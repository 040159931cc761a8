"""Turn a server's assistant message into normalised, validated tool calls.

A model's output is untrusted: calls leaked into ``content`` are recovered (only for declared
tools), arguments are normalised and checked against the tool's schema, and anything that cannot
be repaired becomes a :class:`RejectedCall` whose error text goes back to the model as the tool
result. The returned ``message`` is a clean OpenAI assistant dict: every call has an id,
``type: function`` and JSON-string arguments, so the next request replays it verbatim.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from repoagent.llm.arguments import ArgumentError, check_arguments, normalise_arguments
from repoagent.llm.leaked_calls import find_leaked_calls
from repoagent.llm.sse import has_reasoning
from repoagent.llm.thinking import without_thinking

#: Longest error text sent back for a rejected call.
MAX_ERROR_CHARS = 1000


@dataclass(frozen=True)
class ToolCall:
    """A valid call of a declared tool."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class RejectedCall:
    """A call that could not be repaired; ``error`` is what the model is told."""

    id: str
    name: str
    error: str

    def tool_message(self) -> dict[str, Any]:
        """The ``role: tool`` message that answers this call with its error."""
        return {"role": "tool", "tool_call_id": self.id, "content": f"Error: {self.error}"}


@dataclass
class RepairedMessage:
    """The normalised assistant message and what repair did to it."""

    message: dict[str, Any]
    tool_calls: list[ToolCall] = field(default_factory=list)
    rejected: list[RejectedCall] = field(default_factory=list)
    repaired: int = 0


def tool_schemas(tools: Sequence[Mapping[str, Any]] | None) -> dict[str, Mapping[str, Any]]:
    """Map tool name -> parameters schema, from OpenAI ``tools`` specs (or bare specs)."""
    schemas: dict[str, Mapping[str, Any]] = {}
    for spec in tools or ():
        function = spec.get("function", spec)
        schemas[str(function["name"])] = function.get("parameters") or {"type": "object"}
    return schemas


def repair_message(
    raw: Mapping[str, Any], tools: Sequence[Mapping[str, Any]] | None
) -> RepairedMessage:
    """Normalise ``raw`` (an assistant message dict) against the offered ``tools``."""
    schemas = tool_schemas(tools)
    content = _content_text(raw.get("content"))
    if content and not has_reasoning(raw):  # a leading <think> block is neither answer nor calls
        content = without_thinking(content)
    found = _declared_calls(raw)
    recovered = False
    if not found and schemas and isinstance(content, str) and content.strip():
        leaked, prose = find_leaked_calls(content)
        if any(declared_name(call.name, schemas) in schemas for call in leaked):
            found = [(None, call.name, call.arguments) for call in leaked]
            content, recovered = prose or None, True
    result = RepairedMessage(message={"role": "assistant", "content": content})
    entries = []
    used_ids: set[str] = set()
    for index, (call_id, written, arguments) in enumerate(found):
        name = declared_name(written, schemas)
        call_id = _unique_id(call_id, index, name, arguments, used_ids)
        try:
            args, repaired = _validated(name, arguments, schemas, tools is not None)
            repaired = repaired or name != written
        except ArgumentError as exc:
            error = str(exc)  # it quotes the arguments: a runaway value must not come back whole
            if len(error) > MAX_ERROR_CHARS:
                error = error[:MAX_ERROR_CHARS] + f" … [{len(error) - MAX_ERROR_CHARS} more]"
            result.rejected.append(RejectedCall(call_id, name, error))
            args, repaired = {}, False
        else:
            result.tool_calls.append(ToolCall(call_id, name, args))
        result.repaired += int(repaired or recovered)
        entries.append(
            {
                "id": call_id,
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
            }
        )
    if entries:
        result.message["tool_calls"] = entries
    return result


def _content_text(content: Any) -> str | None:
    """The reply's text: content parts joined; a number or object a server sent, as JSON."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: keep the text
        return "".join(
            p if isinstance(p, str) else str(p.get("text", ""))
            for p in content
            if isinstance(p, str | Mapping)
        )
    return json.dumps(content, ensure_ascii=False)


def _declared_calls(raw: Mapping[str, Any]) -> list[tuple[str | None, str, Any]]:
    """The calls in ``tool_calls`` as servers send them: a list of entries, or one entry; an
    entry's ``function`` an object, a bare name, or missing (name and arguments at its top)."""
    entries = raw.get("tool_calls") or []
    if isinstance(entries, Mapping):
        entries = [entries]
    calls = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue  # null or a bare string: nothing to run or to answer
        function = entry.get("function")
        if isinstance(function, str):
            function = {"name": function, "arguments": entry.get("arguments")}
        elif not isinstance(function, Mapping):
            function = entry
        call_id = entry.get("id")
        name = function.get("name")
        calls.append(
            (
                str(call_id) if call_id not in (None, "") else None,
                name if isinstance(name, str) else "",
                function.get("arguments"),
            )
        )
    legacy = raw.get("function_call")
    if not calls and isinstance(legacy, Mapping):
        calls.append((None, str(legacy.get("name") or ""), legacy.get("arguments")))
    return calls


def _validated(
    name: str, arguments: Any, schemas: Mapping[str, Mapping[str, Any]], check: bool
) -> tuple[dict[str, Any], bool]:
    if check and name not in schemas:
        available = ", ".join(schemas) or "none"
        raise ArgumentError(f"unknown tool {name!r}; available tools: {available}")
    args, repaired = normalise_arguments(arguments)
    if not check:
        return args, repaired
    args, coerced = check_arguments(schemas[name], args)
    return args, repaired or coerced


def declared_name(name: str, schemas: Mapping[str, Mapping[str, Any]]) -> str:
    """The declared tool a written name means: ``functions.grep``, ``Grep``, `` grep `` → grep.
    Only an exact match after dropping a namespace, case and spacing; else the name unchanged."""
    if name in schemas or not schemas:
        return name
    bare = re.split(r"[./:]", name.strip())[-1].strip().lower().replace("-", "_")
    matches = [declared for declared in schemas if declared.lower() == bare]
    return matches[0] if len(matches) == 1 else name


def _unique_id(call_id: str | None, index: int, name: str, arguments: Any, used: set[str]) -> str:
    if not call_id or call_id in used:
        digest = hashlib.sha256(f"{index}\0{name}\0{arguments!r}".encode()).hexdigest()[:12]
        call_id = f"call_{digest}"
        while call_id in used:
            call_id += "x"
    used.add(call_id)
    return call_id
