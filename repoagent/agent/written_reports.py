"""Reports a model wrote as JSON in its last reply instead of calling the report tool.

Small models often finish with their findings as a JSON object or list — bare, in a code fence,
or after one short line — rather than calling ``report_finding`` (or ``report_candidate``). Each
object that, with common key spellings mapped (``file`` → ``path``, ``line`` → ``line_hint``),
passes the tool's schema is reported as if called (a severity or category it left out or got
wrong gets the default, as for a called report); the others are dropped and counted.

Text from the repository must never become a report: a reply is read only when it is
essentially nothing but the JSON (a model that explains what it found and quotes an example has
not written a report), and an object whose every text value the model was shown before (in a
tool result, the pack, the task) is a quotation, not a report. Objects naming the same path and
quote are one report, whatever their category.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from repoagent.llm.arguments import ArgumentError, check_arguments

#: Key spellings models use for the report tools' parameters.
ALIASES = {
    "file": "path",
    "filename": "path",
    "file_path": "path",
    "filepath": "path",
    "code": "quote",
    "snippet": "quote",
    "line": "line_hint",
    "line_number": "line_hint",
    "lineno": "line_hint",
    "summary": "title",
    "description": "explanation",
    "details": "explanation",
    "type": "category",
}
#: Values for parameters a written report left out or got wrong (as a called one gets them).
DEFAULTS = {"severity": "medium", "category": "correctness", "explanation": ""}
#: Besides a path, a written report names at least one of these.
REPORT_KEYS = frozenset({"quote", "title", "reason", "severity", "explanation"})
#: At most this many JSON values are read from one reply.
MAX_VALUES = 200
#: Reports sit at most this deep: ``{"findings": [[{...}]]}`` (deeper nesting is not a report).
MAX_DEPTH = 4
#: The one line a reply may have before its JSON ("I found these problems:").
MAX_LEAD_IN_CHARS = 200

_FENCED = re.compile(r"```[A-Za-z0-9_+-]*[ \t]*\n(.*?)\n?[ \t]*```", re.S)
_SPACES = re.compile(r"\s+")


def written_reports(
    text: str, spec: Mapping[str, Any], shown: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int]:
    """Return the valid arguments for ``spec``'s tool written as JSON in ``text``, and how many
    report-like objects were dropped as invalid; ``shown`` is the text the model read before."""
    function = spec.get("function", spec)
    schema: Mapping[str, Any] = function.get("parameters") or {}
    properties = schema.get("properties") or {}
    valid: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    dropped = 0
    seen_text = _squeezed("\n".join(shown))
    for item in reply_objects(text):
        if _quoted(item, seen_text):
            continue  # repository text the model repeated, not its own report
        arguments = {ALIASES.get(k, k): v for k, v in item.items() if isinstance(k, str)}
        if "path" not in arguments or not REPORT_KEYS & arguments.keys():
            continue  # not a report (a quoted config, an example): leave it alone
        if "title" in properties and "explanation" in arguments and "title" not in arguments:
            arguments["title"] = str(arguments["explanation"]).split(".")[0][:120]
        if "reason" in properties and "reason" not in arguments:
            arguments["reason"] = arguments.get("explanation") or arguments.get("title")
        arguments = {
            k: v
            for k, v in arguments.items()
            if k in properties and v is not None and _fits(properties, k, v)
        }
        for key, value in DEFAULTS.items():
            if key in properties:
                arguments.setdefault(key, value)
        try:
            checked, _ = check_arguments(schema, arguments)
        except ArgumentError:
            dropped += 1
            continue
        place = (str(checked.get("path")), _squeezed(str(checked.get("quote", ""))))
        if place in seen:
            continue
        seen.add(place)
        valid.append(checked)
    return valid, dropped


def reply_objects(text: str) -> list[dict[str, Any]]:
    """The objects of a reply that is only JSON (bare or fenced, after at most one short line);
    none for a reply with more prose than that."""
    body = text.strip()
    if body[:1] not in ("{", "[", "`"):
        lead, _, rest = body.partition("\n")
        if len(lead) > MAX_LEAD_IN_CHARS:
            return []
        body = rest.strip()
    if body.startswith("`"):
        match = _FENCED.fullmatch(body)
        if match is None:
            return []
        body = match.group(1).strip()
    values = _json_values(body)
    if values is None:
        return []
    objects: list[dict[str, Any]] = []
    for value in values:
        if not _flatten(value, objects, MAX_DEPTH):
            return []
    return objects


def _fits(properties: Mapping[str, Any], key: str, value: Any) -> bool:
    """Whether an optional value passes its schema (a bad one is left out, not the report)."""
    try:
        check_arguments({"properties": {key: properties[key]}}, {key: value})
    except ArgumentError:
        return False
    return True


def _json_values(text: str) -> list[Any] | None:
    """The JSON values that make up all of ``text`` (separated by whitespace or commas)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    index = 0
    while index < len(text) and len(values) < MAX_VALUES:
        if text[index] in " \t\r\n,":
            index += 1
            continue
        try:
            value, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):  # a reply nested thousands deep is not a report
            return None
        values.append(value)
    return values if values and index >= len(text) else None


def _flatten(value: Any, into: list[dict[str, Any]], depth: int) -> bool:
    """Add the report objects in ``value`` to ``into``; False when it is not reports (a bare
    string or number, or nesting deeper than reports go)."""
    if depth <= 0:
        return False
    if isinstance(value, list):
        return all(_flatten(item, into, depth - 1) for item in value)
    if not isinstance(value, dict):
        return False
    lists = [v for v in value.values() if isinstance(v, list)]
    if len(value) == 1 and lists:  # {"findings": [...]}
        return _flatten(lists[0], into, depth - 1)
    into.append(value)
    return True


def _quoted(item: Mapping[str, Any], seen_text: str) -> bool:
    """Whether every text value of ``item`` was in what the model was shown (a quotation)."""
    texts = [v for v in item.values() if isinstance(v, str) and v.strip()]
    return bool(texts) and all(_appears(v, seen_text) for v in texts)


def _appears(value: str, seen_text: str) -> bool:
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]  # as a JSON file in the repo holds it
    return _squeezed(value) in seen_text or _squeezed(escaped) in seen_text


def _squeezed(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
