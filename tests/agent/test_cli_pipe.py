"""`repoagent review . | head`: the terminal report's reader leaving early exits 0, not 1 (the
--fail-on code)."""

from __future__ import annotations

import os
import subprocess
import sys

import git

from repoagent.testing import ScriptedLLMServer


def test_terminal_report_into_a_closed_pipe_exits_0(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str]
) -> None:
    env = {**os.environ, **model_env, "COLUMNS": "80"}
    read, write = os.pipe()
    os.close(read)  # the reader is already gone when the report is printed
    with os.fdopen(write, "wb") as stdout:
        process = subprocess.run(
            [sys.executable, "-m", "repoagent", "review", str(planted.working_tree_dir), "-q"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    err = process.stderr.decode()
    assert process.returncode == 0, err
    assert "Traceback" not in err
