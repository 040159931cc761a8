"""Recover tool calls a server left in ``content`` instead of ``tool_calls``.

Shapes seen in the wild (vLLM without a tool parser, llama.cpp without ``--jinja``, Ollama,
small models answering a tools prompt):

* JSON: ``{"name": "grep", "arguments": {...}}`` (or ``parameters``), an array of those, several
  objects one after another, ``{"type": "function", "function": {...}}``, ``{"tool_calls": [...]}``;
  bare, after some prose, or inside a Markdown code fence;
* the Hermes/Qwen wrapper ``<tool_call>{...}</tool_call>`` (one per call), and Llama 3.1's
  ``<|python_tag|>`` prefix; the tags never stay behind in the prose;
* Llama 4's pythonic list ``[grep(pattern="x"), read_file(path="a.py")]``, with or without the
  ``<|python_start|>…<|python_end|>`` wrapper. Parsed with :mod:`ast`, never ``eval``.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

_TAG = re.compile(r"<\|python_start\|>(.*?)(?:<\|python_end\|>|<\|eom\|>|<\|eot\|>|$)", re.S)
_FENCE = re.compile(r"```[A-Za-z0-9_+-]*[ \t]*\n(.*?)```", re.S)
_SPECIAL = re.compile(r"<\|(?:python_end|python_tag|eom|eot|eot_id|eom_id)\|>")
_XML_TAG = re.compile(r"<(tool_call|function_call)>(.*?)(?:</\1>|$)", re.S)


@dataclass(frozen=True)
class LeakedCall:
    """A call found in text: its name and arguments as written (any JSON value or text)."""

    name: str
    arguments: Any


def find_leaked_calls(content: str) -> tuple[list[LeakedCall], str]:
    """Return the calls written in ``content`` and the prose left around them."""
    tagged = _TAG.findall(content)
    if tagged:
        calls = [c for segment in tagged for c in parse_calls(segment)]
        if calls:
            return calls, _SPECIAL.sub("", _TAG.sub("", content)).strip()
    wrapped = _XML_TAG.findall(content)
    if wrapped:
        calls = [c for _, segment in wrapped for c in parse_calls(_unfenced(segment))]
        if calls:
            return calls, _SPECIAL.sub("", _XML_TAG.sub("", content)).strip()
    fenced = _FENCE.findall(content)
    if fenced:
        calls = [c for block in fenced for c in parse_calls(block)]
        if calls:
            return calls, _FENCE.sub("", content).strip()
    calls = parse_calls(content)
    if calls:
        return calls, ""
    for start in _brackets(content):  # prose before the call, maybe a sentence after it
        calls = parse_calls(content[start:])
        if calls:
            return calls, content[:start].strip()
        calls, end = _json_prefix_calls(content, start)
        if calls:
            prose = f"{content[:start].strip()}\n{content[end:].strip()}"
            return calls, _SPECIAL.sub("", prose).strip()
    return [], content


def _unfenced(segment: str) -> str:
    """The inside of a code fence around a tagged call, or the segment itself."""
    match = _FENCE.search(segment)
    return match.group(1) if match else segment


_MAX_CALL_DEPTH = 6


def _brackets(text: str, limit: int = 20) -> list[int]:
    """Positions of the first ``limit`` opening brackets (where a call could start)."""
    return [m.start() for m in re.finditer(r"[\[{]", text)][:limit]


def _json_prefix_calls(text: str, start: int) -> tuple[list[LeakedCall], int]:
    """Calls in the one JSON value starting at ``start``, and where that value ends."""
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except (json.JSONDecodeError, RecursionError):  # a reply nested ~1,000 brackets deep
        return [], start
    return _calls_from_json(value), end


def parse_calls(text: str) -> list[LeakedCall]:
    """Parse ``text`` (nothing else around it) as JSON call objects or a pythonic call list."""
    text = _SPECIAL.sub("", text).strip()
    if not text:
        return []
    values = _json_values(text)
    if values is not None:
        return [call for value in values for call in _calls_from_json(value)]
    return _pythonic_calls(text)


def _json_values(text: str) -> list[Any] | None:
    """Decode one or more JSON values separated by whitespace, commas or semicolons."""
    decoder = json.JSONDecoder()
    values, index = [], 0
    while index < len(text):
        if text[index] in " \t\r\n;,":
            index += 1
            continue
        try:
            value, index = decoder.raw_decode(text, index)
        except (json.JSONDecodeError, RecursionError):
            return None
        values.append(value)
    return values


def _calls_from_json(value: Any, depth: int = 0) -> list[LeakedCall]:
    """The calls in a decoded JSON value: a call object, a list of them, an OpenAI message or
    tool-call entry; no deeper than a few levels (a call is never nested deeply)."""
    if depth > _MAX_CALL_DEPTH:
        return []
    if isinstance(value, list):
        return [call for item in value for call in _calls_from_json(item, depth + 1)]
    if not isinstance(value, dict):
        return []
    if isinstance(value.get("tool_calls"), list):
        return _calls_from_json(value["tool_calls"], depth + 1)
    if isinstance(value.get("function"), dict):
        return _calls_from_json(value["function"], depth + 1)
    name = value.get("name")
    if not isinstance(name, str) or not name:
        return []
    for key in ("arguments", "parameters", "args", "input"):
        if key in value:
            return [LeakedCall(name, value[key])]
    return [LeakedCall(name, {})]


#: A pythonic call list starts like one: ``[name(`` or ``name(`` (checked before parsing, as
#: Python's parser can run out of memory on a long run of prose).
_LOOKS_PYTHONIC = re.compile(r"\[?\s*[A-Za-z_][\w.]*\s*\(")
_MAX_PYTHONIC_CHARS = 100_000


def _pythonic_calls(text: str) -> list[LeakedCall]:
    if (
        len(text) > _MAX_PYTHONIC_CHARS
        or not _LOOKS_PYTHONIC.match(text)
        or not text.rstrip().endswith((")", "]"))
    ):
        return []
    try:
        tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []
    nodes = tree.elts if isinstance(tree, ast.List | ast.Tuple) else [tree]
    calls = []
    for node in nodes:
        if not isinstance(node, ast.Call):
            return []
        name = _call_name(node.func)
        if name is None:
            return []
        try:
            arguments: dict[str, Any] = {
                kw.arg: _literal(kw.value) for kw in node.keywords if kw.arg is not None
            }
            if node.args:  # positional: kept in order, matched to the schema by the validator
                arguments["__positional__"] = [_literal(arg) for arg in node.args]
        except ValueError:
            return []
        calls.append(LeakedCall(name, arguments))
    return calls


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):  # functions.grep(...)
        return func.attr
    return None


_JSON_NAMES = {"true": True, "false": False, "null": None, "none": None}


def _literal(node: ast.expr) -> Any:
    """A literal value (also JSON's true/false/null); anything else raises ValueError."""
    if isinstance(node, ast.Name) and node.id.lower() in _JSON_NAMES:
        return _JSON_NAMES[node.id.lower()]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {
            _literal(k) if k is not None else None: _literal(v)
            for k, v in zip(node.keys, node.values, strict=True)
        }
    return ast.literal_eval(node)
