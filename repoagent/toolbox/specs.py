"""The model-facing tool specs, read from the top-level ``tools/`` folder as data.

Each ``tools/<name>.json`` holds ``name``, ``description`` and JSON-schema ``parameters``;
:func:`load_tool_specs` wraps them in the OpenAI ``tools`` format. The order is fixed so a
request's tool list is byte-stable (prompt caching needs an identical prefix).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from repoagent.errors import ToolError
from repoagent.resources import data_dir

TOOL_ORDER: tuple[str, ...] = (
    "grep",
    "read_file",
    "list_files",
    "find_symbol",
    "git_log",
    "git_diff",
    "git_blame",
    "run_tests",
    "report_candidate",
    "report_finding",
)
"""Canonical order of the tools in a request."""

INVESTIGATE_TOOLS: tuple[str, ...] = (
    "grep",
    "read_file",
    "list_files",
    "find_symbol",
    "git_log",
    "git_diff",
    "git_blame",
    "run_tests",
    "report_finding",
)
"""Tools offered to the investigating model (``run_tests`` only when enabled)."""

SCOUT_TOOLS: tuple[str, ...] = ("report_candidate",)
"""Tools offered to the scout."""

SANDBOX_TOOLS: tuple[str, ...] = (
    "grep",
    "read_file",
    "list_files",
    "find_symbol",
    "git_log",
    "git_diff",
    "git_blame",
    "run_tests",
)
"""Tools :class:`~repoagent.toolbox.SandboxToolRunner` executes (the ``report_*`` tools are
handled by the agent graph, which records their arguments)."""


@cache
def _read_specs() -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    for path in sorted(data_dir("tools").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        specs[spec["name"]] = spec
    return specs


def tool_names() -> list[str]:
    """Return the names of every tool spec shipped, in canonical order."""
    specs = _read_specs()
    known = [n for n in TOOL_ORDER if n in specs]
    return known + sorted(n for n in specs if n not in TOOL_ORDER)


def load_tool_specs(
    names: Iterable[str] | None = None, *, run_tests: bool = False
) -> list[dict[str, Any]]:
    """Return tool specs in the OpenAI ``tools`` format (``run_tests`` only when enabled)."""
    specs = _read_specs()
    wanted = list(names) if names is not None else tool_names()
    unknown = [n for n in wanted if n not in specs]
    if unknown:
        raise ToolError(f"unknown tool spec(s): {', '.join(unknown)}; known: {', '.join(specs)}")
    result = []
    for name in dict.fromkeys(wanted):
        if name == "run_tests" and not run_tests:
            continue
        spec = specs[name]
        result.append(
            {
                "type": "function",
                "function": {
                    "name": spec["name"],
                    "description": spec["description"],
                    "parameters": copy.deepcopy(spec["parameters"]),
                },
            }
        )
    return result
