"""Fixtures for the agent tools: a repository with an outside symlink and uncommitted changes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import git
import pytest

FILES = {
    "README.md": "# demo\n",
    "src/app.py": "import os\n\n\ndef load(path):\n    return open(path).read()\n\n\ndef main():\n    return load('x')\n",
    "src/util.py": "def helper():\n    return 42\n",
    "tests/test_app.py": "from src.util import helper\n\n\ndef test_helper():\n    assert helper() == 42\n",
    "data/blob.bin": b"\x00\x01binary\x00",
}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory outside the repository holding a secret file."""
    out = tmp_path / "outside"
    out.mkdir()
    (out / "secret.txt").write_text("TOP-SECRET-CONTENT\n")
    return out


@pytest.fixture
def sandbox_repo(make_repo: Callable[..., git.Repo], outside: Path) -> git.Repo:
    """A repo whose commit has symlinks leaving it (file and directory) and one staying inside."""
    repo = make_repo(FILES)
    root = Path(repo.working_tree_dir or "")
    os.symlink(outside / "secret.txt", root / "leak.txt")
    os.symlink(outside, root / "leakdir")
    os.symlink("../src/util.py", root / "data/util_link.py")
    os.symlink("../../../..", root / "data/up")
    repo.git.add("leak.txt", "leakdir", "data/util_link.py", "data/up")
    repo.git.commit("-m", "links")
    return repo


@pytest.fixture
def dirty(sandbox_repo: git.Repo) -> git.Repo:
    """The sandbox repo plus a modified, a staged, an untracked and an ignored file."""
    root = Path(sandbox_repo.working_tree_dir or "")
    (root / "src/util.py").write_text("def helper():\n    return 43  # DIRTY-EDIT\n")
    (root / "src/staged.py").write_text("STAGED = 1\n")
    sandbox_repo.git.add("src/staged.py")
    (root / "notes.txt").write_text("UNTRACKED-NOTE\n")
    (root / ".gitignore").write_text(".env\n")
    (root / ".env").write_text("API_KEY=IGNORED-SECRET\n")
    return sandbox_repo


def tree_digest(root: Path) -> str:
    """Hash every path, link target and byte under ``root``, ``.git`` included."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if os.path.islink(Path(dirpath, d))]):
            path = Path(dirpath, name)
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            if path.is_symlink():
                digest.update(b"link:" + os.readlink(path).encode())
            else:
                digest.update(path.read_bytes())
                digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()


@pytest.fixture
def digest() -> Callable[[Path], str]:
    """The tree_digest function, for byte-identical checks."""
    return tree_digest


@pytest.fixture
def commit_many() -> Callable[[git.Repo, int], None]:
    """Make ``count`` commits, each rewriting a.txt with its number."""

    def _commit(repo: git.Repo, count: int) -> None:
        root = Path(repo.working_tree_dir or "")
        for i in range(1, count + 1):
            (root / "a.txt").write_text(f"{i}\n")
            repo.git.commit("-am", f"change {i}", "--no-verify")

    return _commit


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


@pytest.fixture(autouse=True)
def fast_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test runs inside scratch copies skip the dev venv's plugins (hypothesis, ...) to stay fast."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
