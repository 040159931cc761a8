"""`repoagent pack . | head`: the reader leaving early is not an error (exit 0, quiet stderr)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.pack.helpers import root_of


def test_a_closed_pipe_exits_0(make_repo) -> None:  # type: ignore[no-untyped-def]
    big = "".join(f"def f{i}(x):\n    return x + {i}\n\n" for i in range(8000))  # > a pipe buffer
    root = root_of(make_repo({"big.py": big}))
    process = subprocess.Popen(
        [sys.executable, "-m", "repoagent", "pack", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"<repository")
    process.stdout.close()  # like `head -c 100`
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "Error" not in err
