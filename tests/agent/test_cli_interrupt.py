"""Ctrl-C during a review says how to continue it (the run is checkpointed) and exits 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import git

from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK


def test_ctrl_c_names_the_resume_command(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str], tmp_path: Path
) -> None:
    server.script(lambda body: replies.text("slow").after(3), model=MAVERICK)
    err_file = tmp_path / "stderr.txt"
    with err_file.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "repoagent", "review", str(planted.working_tree_dir)],
            env={**os.environ, **model_env},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            deadline = time.monotonic() + 60
            while not any(r.model == MAVERICK for r in server.chat_requests):
                assert process.poll() is None, err_file.read_text()
                assert time.monotonic() < deadline, "Maverick was never asked"
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    err = err_file.read_text()
    run_id = err.split("--resume ", 1)[1].split(")", 1)[0]
    assert code == 130, err
    assert f"interrupted; continue the run with --resume {run_id}" in err
    assert "Traceback" not in err
