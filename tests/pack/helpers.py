"""Helpers shared by the packer tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from repoagent.cli.main import main
from repoagent.pack import PackOptions, PackResult, pack_repository
from repoagent.pack.tokenizer import load_tokenizer

FORMATS = ("xml", "markdown", "json", "plain")


def pack(path: Any, **kwargs: Any) -> PackResult:
    """Pack ``path`` (a git.Repo or a path) with ``PackOptions(**kwargs)``."""
    root = getattr(path, "working_tree_dir", path)
    return pack_repository(PackOptions(path=str(root), **kwargs))


def whole_count(text: str) -> int:
    """The Llama 4 count of ``text`` in one piece (independent of the packer's part sums)."""
    return load_tokenizer("llama4").encoding.encode_ordinary(text).__len__()


def by_path(result: PackResult) -> dict[str, Any]:
    """Manifest entries by path."""
    return {f.path: f for f in result.files}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``repoagent ARGS`` in-process; return (exit code, stdout, stderr)."""
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def root_of(repo: Any) -> Path:
    """The work tree of a git.Repo."""
    return Path(repo.working_tree_dir)
