"""Where repoagent keeps user state: caches, run records, checkpoints, sessions.

One directory, ``REPOAGENT_HOME`` (default: the platform's user cache directory), so tests
can point everything at a temporary directory with one environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

from repoagent.errors import ConfigError


def repoagent_home() -> Path:
    """Return the state directory, creating it on first use (ConfigError when it cannot be)."""
    configured = os.environ.get("REPOAGENT_HOME")
    if configured:
        home = Path(configured).expanduser()
    else:
        import platformdirs  # ~5 ms of imports (tempfile, random, shutil) a set home skips

        home = Path(platformdirs.user_cache_dir("repoagent"))
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(_unusable(home, configured, _why(home, exc))) from None
    if not os.access(home, os.W_OK | os.X_OK):
        raise ConfigError(_unusable(home, configured, "it is not writable"))
    return home


def state_path(*parts: str) -> Path:
    """Return a path under the state directory, creating its parent directory."""
    path = repoagent_home().joinpath(*parts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = f"cannot create {path.parent}: {exc.strerror or exc}"
        raise ConfigError(f"the state directory (REPOAGENT_HOME) is unusable: {why}") from None
    return path


def _why(home: Path, exc: OSError) -> str:
    if home.exists() and not home.is_dir():
        return "it is not a directory"
    return f"it cannot be created: {exc.strerror or exc}"


def _unusable(home: Path, configured: str | None, why: str) -> str:
    if configured:
        return f"REPOAGENT_HOME={configured} is unusable: {why}"
    return f"the state directory {home} is unusable: {why} (set REPOAGENT_HOME to a directory)"
