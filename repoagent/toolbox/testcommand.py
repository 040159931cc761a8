"""Which command runs a project's tests, and where its installed dependencies are.

The scratch copy holds only the snapshot's files: ignored directories such as ``.venv`` or
``node_modules`` are not in it. The user's own environment is used read-only instead: the
project's virtualenv interpreter (when it has pytest) and ``node_modules`` through
``NODE_PATH``/``PATH``; ``PYTHONPATH`` points at the scratch code so the copy is what is tested.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

_VENVS = (".venv", "venv", "env")


@lru_cache(maxsize=16)
def _has_pytest(python: str) -> bool:
    try:
        return (
            subprocess.run(
                [python, "-c", "import pytest"], capture_output=True, timeout=30
            ).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


def project_python(source_root: Path | None) -> str:
    """The project's virtualenv interpreter if it has pytest, else the one running repoagent."""
    if source_root is not None:
        for name in _VENVS:
            candidate = source_root / name / "bin" / "python"
            if candidate.is_file() and _has_pytest(str(candidate)):
                return str(candidate)
    return sys.executable


def is_python_project(workdir: Path) -> bool:
    """True when the checkout has pytest configuration or pytest-style test files."""
    pyproject = workdir / "pyproject.toml"
    markers = ("pytest.ini", "conftest.py", "tests/conftest.py", "tox.ini", "setup.cfg")
    return (
        any((workdir / m).is_file() for m in markers)
        or (pyproject.is_file() and "pytest" in pyproject.read_text("utf-8", "replace"))
        or any(workdir.glob("test*/**/test_*.py"))
        or any(workdir.glob("test_*.py"))
    )


def detect_test_command(workdir: Path, source_root: Path | None = None) -> list[str] | None:
    """Guess the test command from the project's files (pytest, npm, go, cargo)."""
    if is_python_project(workdir):
        return [project_python(source_root), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    package = workdir / "package.json"
    if package.is_file() and re.search(r'"test"\s*:', package.read_text("utf-8", "replace")):
        return ["npm", "test"]
    if (workdir / "go.mod").is_file():
        return ["go", "test", "./..."]
    if (workdir / "Cargo.toml").is_file():
        return ["cargo", "test"]
    return None


def dependency_env(workdir: Path, source_root: Path | None, env: dict[str, str]) -> list[str]:
    """Point ``env`` at the scratch code and the user's installed dependencies; return notes."""
    notes: list[str] = []
    python_path = [str(workdir)] + ([str(workdir / "src")] if (workdir / "src").is_dir() else [])
    env["PYTHONPATH"] = os.pathsep.join(python_path)  # test the scratch code, not an installed copy
    modules = source_root / "node_modules" if source_root is not None else None
    if modules is not None and modules.is_dir() and not (workdir / "node_modules").exists():
        env["NODE_PATH"] = str(modules)
        env["PATH"] = os.pathsep.join([str(modules / ".bin"), env.get("PATH", "")])
        notes.append("using node_modules from the checkout (read-only) for dependencies")
    return notes
