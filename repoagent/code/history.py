"""Cheap signals from git history: when each file last changed, and how often it changes."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path


def git_activity(
    root: str | Path, rev: str = "HEAD", limit: int = 500
) -> tuple[dict[str, int], dict[str, int]]:
    """``(recency, churn)`` from the last ``limit`` commits: last commit time and commit count per path."""
    try:
        out = subprocess.run(
            [
                "git",
                "log",
                f"-n{limit}",
                "--no-renames",
                "--format=%x00%ct",
                "--name-only",
                rev,
                "--",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            errors="replace",
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}, {}
    recency: dict[str, int] = {}
    churn: Counter[str] = Counter()
    stamp = 0
    for line in out.splitlines():
        if line.startswith("\0"):
            stamp = int(line[1:] or 0)
        elif line:
            recency.setdefault(line, stamp)
            churn[line] += 1
    return recency, dict(churn)
