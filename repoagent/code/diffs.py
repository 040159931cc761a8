"""Lines a unified diff touches, on the new side, per file."""

from __future__ import annotations

import re

_FILE = re.compile(r"^\+\+\+ (?:b/)?(.+?)\s*$")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(diff: str) -> dict[str, set[int]]:
    """``{path: {line numbers}}`` of added or modified lines (a deletion marks the line after it)."""
    out: dict[str, set[int]] = {}
    path: str | None = None
    line = 0
    for text in diff.splitlines():
        if text.startswith("+++ "):
            match = _FILE.match(text)
            path = None if not match or match.group(1) == "/dev/null" else match.group(1)
            continue
        hunk = _HUNK.match(text)
        if hunk:
            line = int(hunk.group(1))
            continue
        if path is None or text.startswith(("--- ", "diff ", "index ")):
            continue
        if text.startswith("+"):
            out.setdefault(path, set()).add(line)
            line += 1
        elif text.startswith("-"):
            out.setdefault(path, set()).add(line)
        elif text.startswith(" "):
            line += 1
    return out
