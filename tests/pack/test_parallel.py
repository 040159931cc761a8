"""A large cold pack shares its scans with a forked child: the same bytes as one process.

The packs run in fresh interpreters (a fork needs a single-threaded process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repoagent import forked
from repoagent.code.lexical import PARALLEL_CHARS
from tests.pack.helpers import root_of
from tests.pack.test_secrets import AWS, GITHUB

SCRIPT = """
import json, sys
from repoagent import forked
from repoagent.pack import PackOptions, pack_repository
root, budget, out = sys.argv[1], sys.argv[2], sys.argv[3]
result = pack_repository(PackOptions(path=root, budget=None if budget == "none" else budget))
with open(out, "w", encoding="utf-8") as stream:
    result.write(stream)
print(json.dumps({"forks": forked.forks, "tokens": result.tokens}))
"""


def module(index: int) -> str:
    """A Python module of ~45 KB that uses its neighbours' functions."""
    lines = [f"from pkg.mod{(index + 1) % 60} import helper{(index + 1) % 60}\n\n"]
    for n in range(450):
        lines.append(
            f"def helper{index}_{n}(value):\n"
            f"    return helper{(index + 1) % 60}(value) + {n}  # step {n} of module {index}\n\n"
        )
    lines.append(f"def helper{index}(value):\n    return value * {index}\n")
    return "".join(lines)


def pack_in_child(root: Path, budget: str, home: Path, workers: str) -> tuple[dict, bytes]:  # type: ignore[type-arg]
    out = home / "out.xml"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(root), budget, str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "REPOAGENT_HOME": str(home), "REPOAGENT_WORKERS": workers},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    return json.loads(done.stdout), out.read_bytes()


@pytest.mark.skipif(
    forked.workers() < 2, reason="forking needs Linux, os.fork, /proc and a second core"
)
@pytest.mark.parametrize("budget", ["none", "60000"])
def test_a_shared_cold_pack_is_the_single_process_pack(make_repo, tmp_path, budget) -> None:  # type: ignore[no-untyped-def]
    files = {f"pkg/mod{i}.py": module(i) for i in range(60)}
    # Secrets late in the tree, where the child is as likely as this process to scan them.
    files["pkg/mod57.py"] += f'\nAWS_ACCESS_KEY_ID = "{AWS}"\n'
    files["pkg/mod58.py"] += f'\ntoken = "{GITHUB}"\n'
    assert sum(map(len, files.values())) > PARALLEL_CHARS
    root = root_of(make_repo(files))

    shared, text = pack_in_child(root, budget, tmp_path / "two", "2")
    alone, expected = pack_in_child(root, budget, tmp_path / "one", "1")

    assert shared["forks"] == 1 and alone["forks"] == 0
    assert text == expected
    assert shared["tokens"] == alone["tokens"]
    if budget == "none":
        assert AWS.encode() not in text and GITHUB.encode() not in text
        assert b"[REDACTED:AWS Access Key]" in text and b"[REDACTED:GitHub Token]" in text
    else:
        assert shared["tokens"] <= 60000
