"""Fixtures for verification: the planted-bugs example as a real git repository."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import git
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "planted-bugs"


@pytest.fixture
def planted_repo(make_repo: Callable[..., git.Repo]) -> git.Repo:
    """examples/planted-bugs copied into a fresh git repository."""
    files = {
        p.relative_to(EXAMPLE).as_posix(): p.read_bytes()
        for p in sorted(EXAMPLE.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }
    return make_repo(files, name="planted-bugs")


@pytest.fixture
def digest() -> Callable[[Path], str]:
    """Hash every path and byte under a directory, ``.git`` included (mtimes too)."""

    def _digest(root: Path) -> str:
        h = hashlib.sha256()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath, name)
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
                h.update(str(path.stat().st_mtime_ns).encode())
        return h.hexdigest()

    return _digest


@pytest.fixture(autouse=True)
def fast_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test runs inside scratch copies skip the dev venv's plugins (hypothesis, ...) to stay fast."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
