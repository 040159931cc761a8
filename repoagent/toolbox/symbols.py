"""The ``find_symbol`` tool: definitions and references from the code index (tree-sitter)."""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from repoagent.errors import ToolError
from repoagent.toolbox.snapshot import Snapshot

MAX_ENTRIES = 60


def build_index(snapshot: Snapshot) -> Any:
    """Build a :class:`repoagent.code.SymbolIndex` over exactly the files of ``snapshot``."""
    code = importlib.import_module("repoagent.code")
    index_cls = getattr(code, "SymbolIndex", None)
    if index_cls is None:
        index_cls = getattr(importlib.import_module("repoagent.code.index"), "SymbolIndex", None)
    if index_cls is None:
        raise ToolError("the code index is not available in this installation; use grep instead")
    has_grammar = code.language_for_path
    entries = [
        e
        for e in snapshot.entries().values()
        if e.mode.startswith("100") and has_grammar(e.path) is not None
    ]
    if snapshot.is_worktree:
        texts = {}
        for entry in entries:
            try:
                texts[entry.path] = snapshot.read_bytes(entry.path)[1]
            except (ToolError, OSError):
                continue  # a symlink leaving the repository, or a file that just vanished
        return index_cls.from_texts(texts)

    def read(items: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
        paths_of: dict[str, list[str]] = defaultdict(list)
        for path, sha in items:
            paths_of[sha].append(path)
        for sha, data in snapshot.read_blobs(list(paths_of)):
            for path in paths_of[sha]:
                yield path, data

    return index_cls.from_blobs([(e.path, e.sha) for e in entries], read, revision=snapshot.commit)


def _rows(entries: Any, limit: int) -> tuple[list[str], int]:
    items = sorted(
        entries or [], key=lambda e: (str(getattr(e, "path", "")), int(getattr(e, "line", 0) or 0))
    )
    rows = []
    for e in items[:limit]:
        name = getattr(e, "qualified_name", None) or getattr(e, "name", "")
        row = f"{getattr(e, 'path', '?')}:{getattr(e, 'line', '?')}: {getattr(e, 'kind', 'symbol')} {name}"
        signature = (getattr(e, "signature", "") or "").strip()
        if signature:
            row += f" — {signature[:200]}"
        rows.append(row)
    return rows, len(items)


def find_symbol(index: Any, name: object, kind: object = "both") -> str:
    """Return ``path:line: kind name`` rows for a symbol's definitions and/or references."""
    if not isinstance(name, str) or not name.strip():
        raise ToolError("name must be a non-empty symbol name such as parse_config")
    symbol = name.strip()
    if "." in symbol and not index.definitions(symbol):
        symbol = symbol.rsplit(".", 1)[-1]  # `module.func` → `func`; `Class.method` is kept
    kind = kind or "both"
    if kind not in ("definitions", "references", "both"):
        raise ToolError("kind must be one of: definitions, references, both")
    out: list[str] = []
    found = 0
    if kind in ("definitions", "both"):
        rows, total = _rows(index.definitions(symbol), MAX_ENTRIES)
        found += total
        out.append(
            f"definitions of {symbol} ({total}):" if rows else f"no definitions of {symbol} found"
        )
        out += rows
        if total > len(rows):
            out.append(f"[{total - len(rows)} more definitions not shown]")
    if kind in ("references", "both"):
        rows, total = _rows(index.references(symbol), MAX_ENTRIES)
        found += total
        out.append(
            f"references to {symbol} ({total}):" if rows else f"no references to {symbol} found"
        )
        out += rows
        if total > len(rows):
            out.append(
                f"[{total - len(rows)} more references not shown; grep with a path glob to narrow]"
            )
    if not found:
        out.append(
            "(the index covers languages with a tree-sitter grammar; try grep for other files)"
        )
    return "\n".join(out)
