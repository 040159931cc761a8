"""Agent overhead: time spent outside the model in a scripted review of the example repository.

Runs ``repoagent review`` in-process on ``examples/planted-bugs`` (copied to a temporary git
repository) against the scripted OpenAI-compatible server, which answers instantly, so nearly
all of the wall time is repoagent's own: packing, graph steps, checkpoints, tools, verification.
The time the model calls took (HTTP round trips to the local server, from the trajectory) is
reported apart. Run: ``python benchmarks/agent_benchmark.py [--runs N] [--run-tests]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repoagent.agent import ReviewOptions, run_review  # noqa: E402
from repoagent.home import repoagent_home  # noqa: E402
from repoagent.testing import ScriptedLLMServer  # noqa: E402
from tests.agent.scripts import (  # noqa: E402
    MAVERICK,
    SCOUT,
    example_files,
    maverick_script,
    role_env,
    scout_script,
)


def make_example_repo(parent: Path) -> Path:
    """Copy the planted-bugs example into ``parent`` and commit it."""
    root = parent / "planted-bugs"
    for rel, data in example_files().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@example.com",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@example.com",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "planted bugs"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    return root


def one_review(repo: Path, run_tests: bool) -> dict[str, float]:
    """Run one scripted review; return wall, model and outside-the-model seconds."""
    with ScriptedLLMServer(scripts={SCOUT: scout_script(), MAVERICK: maverick_script()}) as server:
        os.environ.update(role_env(server.base_url))
        events: list[tuple[float, str]] = []
        started = time.perf_counter()
        # One candidate at a time, so model-call intervals do not overlap and can be summed.
        report = run_review(
            ReviewOptions(
                path=repo,
                run_tests=run_tests,
                concurrency=1,
                progress=lambda m: events.append((time.perf_counter() - started, m)),
            )
        )
        wall = time.perf_counter() - started
    trajectory = repoagent_home() / "runs" / report.run_id / "trajectory.jsonl"
    entries = [json.loads(line) for line in trajectory.read_text().splitlines()]
    model = sum(e.get("seconds", 0.0) for e in entries)
    assert len(report.findings) == 3, report.findings
    marks = {"prepare": 0.0}
    for label, prefix in STAGES[1:]:
        marks[label] = next(t for t, m in events if m.startswith(prefix))
    names = [label for label, _ in STAGES]
    bounds = [marks[n] for n in names] + [wall]
    stages = {f"stage {n}": bounds[i + 1] - bounds[i] for i, n in enumerate(names)}
    return {"wall": wall, "model": model, "outside": wall - model, "calls": len(entries), **stages}


#: Stages and the progress message that starts each (prepare starts at 0).
STAGES = [
    ("prepare", ""),
    ("scout", "scout: reading"),
    ("investigate", "investigate"),
    ("verify", "verify:"),
    ("report", "report:"),
]


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--run-tests", action="store_true", help="also run the tests on fixes")
    args = parser.parse_args()
    # The dev venv's pytest plugins slow every test run down; a project's own venv has its own.
    os.environ.setdefault("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REPOAGENT_HOME"] = str(Path(tmp) / "home")
        repo = make_example_repo(Path(tmp))
        one_review(repo, args.run_tests)  # warm-up: imports, tokenizer, tree-sitter grammars
        results = [one_review(repo, args.run_tests) for _ in range(args.runs)]
    calls = results[0]["calls"]
    print(
        f"scripted review of examples/planted-bugs, {args.runs} runs, {calls} model calls each"
        f"{', tests run on fixes' if args.run_tests else ''}"
    )
    rows = [
        ("wall", "wall time"),
        ("model", "in model calls (local HTTP)"),
        ("outside", "outside the model"),
        *((f"stage {n}", f"  {n}") for n, _ in STAGES),
    ]
    print("  (stages below include their model calls)")
    for key, label in rows:
        values = [r[key] for r in results]
        print(
            f"  {label:<30} median {statistics.median(values) * 1000:8.1f} ms"
            f"   min {min(values) * 1000:8.1f} ms"
        )
    per_call = statistics.median(r["outside"] / r["calls"] for r in results)
    print(f"  {'outside the model per call':<30} median {per_call * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
