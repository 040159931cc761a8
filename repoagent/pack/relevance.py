"""How much each candidate file matters to the reader of the pack.

``score_files`` is the one entry point the packer calls. Scores are relative (higher is more
relevant) and deterministic. Today's score is simple: focus files and the ``--base`` diff first,
then source over tests over docs over config, then recently changed files, and words of the
query found in a path. Graph ranking (symbols referenced from the focus) can fuse into the same
signature later.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SOURCE_EXTENSIONS = frozenset(
    [
        "py",
        "pyi",
        "js",
        "jsx",
        "mjs",
        "cjs",
        "ts",
        "tsx",
        "go",
        "rs",
        "java",
        "kt",
        "kts",
        "scala",
        "c",
        "h",
        "cc",
        "cpp",
        "cxx",
        "hpp",
        "hh",
        "cs",
        "rb",
        "php",
        "swift",
        "m",
        "mm",
        "sh",
        "bash",
        "zsh",
        "lua",
        "pl",
        "pm",
        "r",
        "jl",
        "ex",
        "exs",
        "erl",
        "hs",
        "ml",
        "clj",
        "dart",
        "vue",
        "svelte",
        "sql",
    ]
)
DOC_EXTENSIONS = frozenset(["md", "rst", "txt", "adoc", "org", "tex"])
CONFIG_EXTENSIONS = frozenset(
    ["toml", "yaml", "yml", "json", "ini", "cfg", "conf", "xml", "properties", "gradle", "lock"]
)
TEST_PATTERN = re.compile(
    r"(^|/)(tests?|spec|specs|__tests__|testing)(/|$)|(^|/)test_|_test\.|\.test\.|\.spec\."
)

FOCUS_BONUS = 1000.0
CHANGED_BONUS = 500.0


@dataclass(frozen=True)
class FocusInputs:
    """What the user pointed the pack at."""

    focus: Sequence[str] = ()
    """Paths (files or directories) given with ``--focus``."""
    changed: Sequence[str] = ()
    """Paths changed since the merge base of ``--base`` and the packed revision."""
    query: str | None = None
    """The task or question, if any."""
    last_changed: Mapping[str, int] = field(default_factory=dict)
    """Unix time of each path's latest commit (missing: not changed recently)."""


def file_kind(path: str) -> str:
    """Classify ``path`` as ``source``, ``test``, ``docs``, ``config`` or ``other``."""
    name = posixpath.basename(path).lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if TEST_PATTERN.search(path.lower()):
        return "test"
    if ext in SOURCE_EXTENSIONS:
        return "source"
    if ext in DOC_EXTENSIONS or name.startswith(("readme", "changelog", "contributing")):
        return "docs"
    if ext in CONFIG_EXTENSIONS or name.startswith(("dockerfile", "makefile", ".")):
        return "config"
    return "other"


KIND_WEIGHT = {"source": 40.0, "test": 30.0, "docs": 20.0, "config": 15.0, "other": 10.0}


def score_files(paths: Sequence[str], inputs: FocusInputs) -> dict[str, float]:
    """Return a relevance score for every path in ``paths`` (higher first)."""
    focus = [f.strip("/") for f in inputs.focus]
    changed = set(inputs.changed)
    words = {w for w in re.findall(r"[a-z0-9_]{3,}", (inputs.query or "").lower())}
    times = inputs.last_changed
    newest = max(times.values(), default=0)
    oldest = min(times.values(), default=0)
    span = max(newest - oldest, 1)
    scores: dict[str, float] = {}
    for path in paths:
        score = KIND_WEIGHT[file_kind(path)]
        if any(path == f or path.startswith(f + "/") or not f for f in focus):
            score += FOCUS_BONUS
        if path in changed:
            score += CHANGED_BONUS
        if path in times:
            score += 5.0 + 5.0 * (times[path] - oldest) / span
        if words:
            parts = set(re.split(r"[/._-]+", path.lower()))
            score += 8.0 * len(words & parts)
        # Shallow files (entry points, package roots) slightly before deep ones.
        score -= 0.5 * path.count("/")
        scores[path] = score
    return scores
