"""Where repoagent keeps user state: caches, run records, checkpoints, sessions.

One directory, ``REPOAGENT_HOME`` (default: the platform's user cache directory), so tests
can point everything at a temporary directory with one environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def repoagent_home() -> Path:
    """Return the state directory, creating it on first use."""
    configured = os.environ.get("REPOAGENT_HOME")
    home = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_cache_dir("repoagent"))
    )
    home.mkdir(parents=True, exist_ok=True)
    return home


def state_path(*parts: str) -> Path:
    """Return a path under the state directory, creating its parent directory."""
    path = repoagent_home().joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
