"""Tool-call arguments: normalise whatever a server sent, then check it against the tool's schema.

Servers send ``arguments`` as a JSON string (the standard), an object, ``""``, ``null``, a
double-encoded string, or Python-literal text. :func:`normalise_arguments` turns all of these into
a dict; :func:`check_arguments` validates it against the JSON schema of the tool's ``parameters``
and coerces simple types (``"5"`` → 5, ``"true"`` → True, a scalar → a one-item list). Errors are
phrased for the model, which gets them back as the tool result and can correct its call.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from typing import Any


class ArgumentError(ValueError):
    """Arguments that cannot be used; the message is shown to the model."""


def normalise_arguments(raw: Any) -> tuple[dict[str, Any], bool]:
    """Return ``(arguments, repaired)``: a dict, and whether it needed more than ``json.loads``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}, False
    if isinstance(raw, Mapping):
        return dict(raw), True
    if not isinstance(raw, str):
        raise ArgumentError(f"arguments must be a JSON object, got {type(raw).__name__}")
    repaired = False
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        value, repaired = _python_literal(raw), True
        if value is None:
            value = _lenient_object(raw)
        if value is None:
            raise ArgumentError(f"arguments are not valid JSON ({exc.msg})") from None
    if isinstance(value, str):  # double-encoded: a JSON string holding the JSON object
        try:
            value, repaired = json.loads(value), True
        except json.JSONDecodeError:
            raise ArgumentError("arguments must be a JSON object, got a string") from None
    if not isinstance(value, dict):
        raise ArgumentError(f"arguments must be a JSON object, got {_json_type(value)}")
    return value, repaired


_FENCED = re.compile(r"^\s*```[A-Za-z0-9_+-]*[ \t]*\n?(.*?)\n?```\s*$", re.S)


def _lenient_object(text: str) -> dict[str, Any] | None:
    """One JSON object as small models mangle it: in a code fence, or followed by stray closing
    braces. Anything more ambiguous stays an error."""
    fenced = _FENCED.match(text)
    text = (fenced.group(1) if fenced else text).strip()
    if not text.startswith("{"):
        return None
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        # An object missing its end is left alone: that is how a reply cut off by max_tokens
        # looks, and running a call with half its arguments would be worse than asking again.
        return _python_literal(text)
    if text[end:].strip(" \t\r\n}"):
        return None  # more than stray braces after the object: not one call's arguments
    return value if isinstance(value, dict) else None


def _python_literal(text: str) -> Any:
    """``{'path': 'a.py'}`` (single quotes, True/None) as written by some models, or None."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"


def check_arguments(
    schema: Mapping[str, Any], arguments: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Validate and coerce ``arguments`` against a tool's ``parameters`` schema.

    Returns ``(coerced, changed)``; raises :class:`ArgumentError` listing every problem.
    """
    properties: Mapping[str, Any] = schema.get("properties") or {}
    arguments = dict(arguments)
    changed = False
    positional = arguments.pop("__positional__", None)
    if positional is not None:  # pythonic f("x") → first declared parameters, in order
        changed = True
        for name, value in zip(properties, positional, strict=False):
            arguments.setdefault(name, value)
    problems: list[str] = []
    result: dict[str, Any] = {}
    for name, value in arguments.items():
        if name not in properties:
            if schema.get("additionalProperties", True) is False:
                problems.append(f"unknown parameter {name!r}")
            else:
                result[name] = value
            continue
        try:
            coerced = _coerce(properties[name], value, name)
        except ArgumentError as exc:
            problems.append(str(exc))
            continue
        changed = changed or coerced != value or type(coerced) is not type(value)
        result[name] = coerced
    missing = [n for n in schema.get("required") or [] if n not in result]
    problems.extend(f"missing required parameter {n!r}" for n in missing)
    if problems:
        allowed = ", ".join(properties) or "none"
        raise ArgumentError("; ".join(problems) + f" (parameters: {allowed})")
    return result, changed


def _coerce(schema: Mapping[str, Any], value: Any, where: str) -> Any:
    expected = schema.get("type")
    types = expected if isinstance(expected, list) else [expected] if expected else []
    if types and not any(_is_type(value, t) for t in types):
        value = _convert(value, types, where)
    if "enum" in schema and value not in schema["enum"]:
        matches = _enum_matches(schema["enum"], value)
        if not matches:
            options = ", ".join(json.dumps(e) for e in schema["enum"])
            raise ArgumentError(f"{where} must be one of {options}, got {json.dumps(value)}")
        value = matches[0]
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ArgumentError(f"{where} must be at least {schema['minimum']}, got {value}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ArgumentError(f"{where} must be at most {schema['maximum']}, got {value}")
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        value = [_coerce(schema["items"], v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _enum_matches(options: list[Any], value: Any) -> list[Any]:
    """The one option ``value`` means: same text ignoring case and ``_``/space vs ``-``
    (``Error handling``), else the only option it contains or begins (``security
    vulnerability``, ``resource leak``, ``med``). Empty when none or several qualify."""

    def norm(text: Any) -> str:
        return re.sub(r"[\s_-]+", "-", str(text).strip().lower())

    given = norm(value)
    same = [e for e in options if norm(e) == given]
    if same or not isinstance(value, str) or len(given) < 3:
        return same[:1]
    words = set(given.split("-"))
    loose = [e for e in options if norm(e) in words or norm(e).startswith(given)]
    return loose if len(loose) == 1 else []


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return _json_type(value) == name


def _convert(value: Any, types: list[str], where: str) -> Any:
    for name in types:
        converted = _convert_to(value, name)
        if converted is not _FAIL:
            return converted
    wanted = " or ".join(types)
    raise ArgumentError(f"{where} must be {wanted}, got {_json_type(value)} {json.dumps(value)}")


_FAIL = object()


def _convert_to(value: Any, name: str) -> Any:
    text = value.strip() if isinstance(value, str) else None
    if name == "integer":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if text is not None and text.lstrip("+-").isdigit():
            return int(text)
    elif name == "number" and text is not None:
        try:
            return float(text)
        except ValueError:
            return _FAIL
    elif name == "boolean" and text is not None and text.lower() in ("true", "false"):
        return text.lower() == "true"
    elif name == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    elif name in ("array", "object") and text is not None and text[:1] in "[{":
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            return _FAIL
        return decoded if _is_type(decoded, name) else _FAIL
    elif name == "array" and value is not None and not isinstance(value, dict):
        return [value]
    return _FAIL
