"""``/add`` takes shell-style words: a path with spaces can be quoted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git

from repoagent.ask import AskOptions, open_session
from repoagent.ask.repl import run_command
from repoagent.config import load_settings
from repoagent.testing import ScriptedLLMServer


def test_add_quoted_paths_with_spaces(
    make_repo: Callable[..., git.Repo], server: ScriptedLLMServer, model_env: dict
) -> None:
    repo = make_repo({"docs/my notes.md": "# notes\n", "src/b c.py": "x = 1\n", "a.py": "y = 2\n"})
    root = Path(repo.working_tree_dir or ".")
    options = AskOptions(path=root, settings=load_settings(root, {}))
    out: list[str] = []
    with open_session(options, lambda _b: None) as session:
        assert run_command(session, '/add "docs/my notes.md" a.py src/b\\ c.py', out.append)
        assert out == ["added docs/my notes.md", "added a.py", "added src/b c.py"]
        assert run_command(session, "/add it's.py", out.append)  # unbalanced quote: as typed
        assert out[-1].startswith("error: cannot add it's.py")
