"""A run killed with SIGKILL mid-way resumes with --resume and repeats no finished model call."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import git

from repoagent.testing import ScriptedLLMServer, replies
from tests.agent.scripts import MAVERICK, candidate_of, maverick_script, turn_of


def _is_stall_point(body: dict) -> bool:
    return candidate_of(body) == "read_note joins" and turn_of(body) == 1


def test_kill_9_then_resume_makes_no_repeated_model_calls(
    planted: git.Repo, server: ScriptedLLMServer, model_env: dict[str, str], tmp_path: Path
) -> None:
    stalled: list[int] = []

    def stall_once(key: str, turn: int) -> replies.Reply | None:
        if key == "read_note joins" and turn == 1 and not stalled:
            stalled.append(1)
            return replies.text("too late").after(60)  # the process is killed while waiting
        return None

    server.script(maverick_script(override=stall_once), model=MAVERICK)
    env = {**os.environ, **model_env}
    out = tmp_path / "report.json"
    argv = [
        sys.executable,
        "-m",
        "repoagent",
        "review",
        str(planted.working_tree_dir),
        "--format",
        "json",
        "-o",
        str(out),
        "--concurrency",
        "1",
    ]
    with (tmp_path / "stderr.txt").open("w") as stderr:
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            deadline = time.monotonic() + 90
            while not any(_is_stall_point(r.body) for r in server.chat_requests):
                assert process.poll() is None, (tmp_path / "stderr.txt").read_text()
                assert time.monotonic() < deadline, "the run never reached the stall point"
                time.sleep(0.05)
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    run_id = re.search(r"run (\d{8}-\d{6}-[0-9a-f]{4})", (tmp_path / "stderr.txt").read_text())
    assert run_id is not None and not out.exists()

    before = [json.dumps(r.body, sort_keys=True) for r in server.chat_requests]
    answered, in_flight = set(before[:-1]), before[-1]
    # Resumed from another directory without PATH: the run knows which repository it reviews.
    resume = [*argv[:4], "--resume", run_id.group(1), *argv[5:]]
    resumed = subprocess.run(
        resume, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    after = [json.dumps(r.body, sort_keys=True) for r in server.chat_requests[len(before) :]]
    assert not answered & set(after), "a finished model call was repeated"
    assert after[0] == in_flight  # only the call cut off by the kill is asked again
    document = json.loads(out.read_text())
    assert len(document["findings"]) == 3
    assert document["run_id"] == run_id.group(1)
