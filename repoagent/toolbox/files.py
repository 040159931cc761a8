"""The ``read_file`` and ``list_files`` tools."""

from __future__ import annotations

from repoagent.errors import ToolError
from repoagent.toolbox.capping import MAX_CHARS, clip_line
from repoagent.toolbox.paths import check_glob, glob_regex
from repoagent.toolbox.redact import redact_text, refuse_secret_file
from repoagent.toolbox.snapshot import Snapshot

DEFAULT_WINDOW = 200
MAX_WINDOW = 300
DEFAULT_LIST = 200
MAX_LIST = 500


def read_file(
    snapshot: Snapshot,
    path: object,
    start_line: int | None = None,
    end_line: int | None = None,
    *,
    max_chars: int = MAX_CHARS,
) -> str:
    """Return a window of numbered lines (``  12 | code``) with a header saying where it is."""
    resolved = snapshot.resolve(path)
    refuse_secret_file(resolved)
    resolved, text = snapshot.read_text(resolved)
    lines = redact_text(resolved, text).splitlines()
    total = len(lines)
    if total == 0:
        return f"{resolved}: empty file ({snapshot.label})"
    start = max(1, int(start_line or 1))
    if start > total:
        raise ToolError(f"{resolved} has only {total} lines; start_line {start} is past the end")
    end = int(end_line) if end_line else start + DEFAULT_WINDOW - 1
    if end < start:
        raise ToolError(f"end_line {end} is before start_line {start}")
    end = min(end, total, start + MAX_WINDOW - 1)
    width = len(str(end))
    body: list[str] = []
    used = 0
    last = start - 1
    for number in range(start, end + 1):
        row = f"{number:>{width}} | {clip_line(lines[number - 1])}"
        if used + len(row) + 1 > max_chars and body:
            break
        body.append(row)
        used += len(row) + 1
        last = number
    header = f"{resolved} (lines {start}-{last} of {total}, {snapshot.label})"
    if resolved != str(path).strip().lstrip("./") and not str(path).startswith(resolved):
        header += f" [resolved from {path!r}]"
    out = [header, *body]
    if last < total:
        out.append(
            f"[… {total - last} more lines; call read_file with start_line={last + 1} to continue]"
        )
    return "\n".join(out)


def list_files(
    snapshot: Snapshot, pattern: object = None, *, max_results: int = DEFAULT_LIST
) -> str:
    """Return the snapshot's files matching a glob, one per line with its size, capped."""
    glob = check_glob(pattern)
    limit = max(1, min(int(max_results), MAX_LIST))
    regex = glob_regex(glob)
    entries = snapshot.entries()
    matched = [e for path, e in sorted(entries.items()) if regex.match(path)]
    if not matched:
        return f"no files match {glob!r} ({snapshot.label}, {len(entries)} files in total)"
    rows = []
    for entry in matched[:limit]:
        note = {"120000": ", symlink", "160000": ", submodule"}.get(entry.mode, "")
        rows.append(f"{entry.path}  ({entry.size} bytes{note})")
    if len(matched) > limit:
        rows.append(
            f"[{len(matched)} files match {glob!r}; showing the first {limit}. Use a narrower glob.]"
        )
    return "\n".join(rows)
