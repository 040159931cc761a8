"""The ``find_symbol`` tool: definitions and references from the code index (tree-sitter)."""

from __future__ import annotations

from typing import Any

from repoagent.errors import ToolError

MAX_ENTRIES = 60


def _rows(entries: Any, limit: int) -> tuple[list[str], int]:
    items = sorted(
        entries or [], key=lambda e: (str(getattr(e, "path", "")), int(getattr(e, "line", 0) or 0))
    )
    rows = [
        f"{getattr(e, 'path', '?')}:{getattr(e, 'line', '?')}: {getattr(e, 'kind', 'symbol')} "
        f"{getattr(e, 'name', '')}".rstrip()
        for e in items[:limit]
    ]
    return rows, len(items)


def find_symbol(index: Any, name: object, kind: object = "both") -> str:
    """Return ``path:line: kind name`` rows for a symbol's definitions and/or references."""
    if not isinstance(name, str) or not name.strip():
        raise ToolError("name must be a non-empty symbol name such as parse_config")
    symbol = name.strip().rsplit(".", 1)[-1]  # `module.func` → `func`: the index keys bare names
    kind = kind or "both"
    if kind not in ("definitions", "references", "both"):
        raise ToolError("kind must be one of: definitions, references, both")
    out: list[str] = []
    if kind in ("definitions", "both"):
        rows, total = _rows(index.definitions(symbol), MAX_ENTRIES)
        out.append(
            f"definitions of {symbol} ({total}):" if rows else f"no definitions of {symbol} found"
        )
        out += rows
        if total > len(rows):
            out.append(f"[{total - len(rows)} more definitions not shown]")
    if kind in ("references", "both"):
        rows, total = _rows(index.references(symbol), MAX_ENTRIES)
        out.append(
            f"references to {symbol} ({total}):" if rows else f"no references to {symbol} found"
        )
        out += rows
        if total > len(rows):
            out.append(
                f"[{total - len(rows)} more references not shown; grep with a path glob to narrow]"
            )
    if not any(":" in row and not row.endswith(":") for row in out):
        out.append(
            "(the index covers languages with a tree-sitter grammar; try grep for other files)"
        )
    return "\n".join(out)
