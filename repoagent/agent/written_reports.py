"""Reports a model wrote as JSON in its last reply instead of calling the report tool.

Small models often finish with their findings as a JSON object or list — bare, in a code fence,
or after a sentence — rather than calling ``report_finding`` (or ``report_candidate``). Each
object that, with common key spellings mapped (``file`` → ``path``, ``line`` → ``line_hint``),
passes the tool's schema is reported as if called (a severity or category it left out or got
wrong gets the default, as for a called report); the others are dropped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
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
#: At most this many places in the text are tried as the start of a JSON value.
MAX_STARTS = 200


def written_reports(text: str, spec: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Return the valid arguments for ``spec``'s tool written as JSON in ``text``, and how many
    report-like objects were dropped as invalid."""
    function = spec.get("function", spec)
    schema: Mapping[str, Any] = function.get("parameters") or {}
    properties = schema.get("properties") or {}
    valid: list[dict[str, Any]] = []
    dropped = 0
    for item in _objects(text):
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
        if checked not in valid:
            valid.append(checked)
    return valid, dropped


def _fits(properties: Mapping[str, Any], key: str, value: Any) -> bool:
    """Whether an optional value passes its schema (a bad one is left out, not the report)."""
    try:
        check_arguments({"properties": {key: properties[key]}}, {key: value})
    except ArgumentError:
        return False
    return True


def _objects(text: str) -> Iterator[dict[str, Any]]:
    """The JSON objects in ``text`` (lists flattened, ``{"findings": [...]}`` unwrapped)."""
    decoder = json.JSONDecoder()
    index, starts = 0, 0
    while starts < MAX_STARTS:
        positions = [p for p in (text.find("{", index), text.find("[", index)) if p >= 0]
        if not positions:
            return
        start = min(positions)
        starts += 1
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            index = start + 1
            continue
        yield from _flatten(value)
        index = end


def _flatten(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(value) == 1 and lists:  # {"findings": [...]}
            yield from _flatten(lists[0])
        else:
            yield value
