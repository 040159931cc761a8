"""Time the agent tools on a large repository: read_file and grep (target ≤ 50 ms per call).

Usage::

    python benchmarks/tools_benchmark.py                # ansible-core sdist in a scratch repo
    python benchmarks/tools_benchmark.py --repo PATH    # any git repository

Without ``--repo`` the ansible-core source distribution (~5,000 files) is fetched with
``pip download`` into a temporary directory, unpacked and committed into a scratch git repository
under /tmp; nothing touches the current checkout. Figures are median and p95 milliseconds per
tool call through ``SandboxToolRunner.run`` (the path a model's call takes), for the committed
revision and for the working tree.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from repoagent.toolbox import SandboxToolRunner


def build_ansible_repo(workdir: Path) -> Path:
    """Download the ansible-core sdist, unpack it, commit it into a fresh repository."""
    downloads = workdir / "sdist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "ansible-core",
            "-d",
            str(downloads),
        ],
        check=True,
    )
    archive = next(downloads.glob("ansible_core-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    root = next(p for p in workdir.iterdir() if p.is_dir() and p.name.startswith("ansible_core-"))
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(root), *env, "commit", "-qm", "ansible-core sdist"], check=True
    )
    return root


def timed(call: Callable[[], str], repeat: int) -> tuple[list[float], str]:
    """Run ``call`` ``repeat`` times; return per-call milliseconds and the last output."""
    times = []
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, out


def report(label: str, times: list[float]) -> None:
    """Print median and p95 of one measurement."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"  {label:<44} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   n={len(ordered)}"
    )


def bench(root: Path, rev: str | None, rounds: int) -> None:
    """Measure read_file, grep, list_files and find_symbol on one snapshot."""
    runner = SandboxToolRunner(root, rev)
    start = time.perf_counter()
    files = [p for p in runner.snapshot.files() if p.endswith((".py", ".yml", ".txt", ".rst"))]
    print(
        f"{runner.snapshot.label}: {len(runner.snapshot.files())} files "
        f"(listing {1000 * (time.perf_counter() - start):.0f} ms, first call only)"
    )
    t, _ = timed(lambda: runner.run("grep", {"pattern": "zzz_not_there_zzz"}), 1)
    report("grep first call (reads git objects)" if rev else "grep first call", t)
    if rev:
        start = time.perf_counter()
        runner.snapshot.checkout(wait=True)
        waited = (time.perf_counter() - start) * 1000
        print(f"  background checkout for grep ready after another {waited:.0f} ms")
    rng = random.Random(7)
    picks = [rng.choice(files) for _ in range(rounds)]
    reads: list[float] = []
    for path in picks:
        t, _ = timed(lambda p=path: runner.run("read_file", {"path": p, "start_line": 1}), 1)
        reads += t
    report("read_file (random files, first 200 lines)", reads)
    windows: list[float] = []
    for path in picks:
        t, _ = timed(
            lambda p=path: runner.run("read_file", {"path": p, "start_line": 100, "end_line": 160}),
            1,
        )
        windows += t
    report("read_file (same files again, lines 100-160)", windows)
    for label, args in [
        ("grep rare string (fixed)", {"pattern": "AnsibleUndefinedVariable", "fixed_string": True}),
        ("grep common word (capped at 50)", {"pattern": "import"}),
        ("grep regex", {"pattern": r"def \w+_path\("}),
        ("grep regex + path glob", {"pattern": r"subprocess\.\w+\(", "path": "lib/**/*.py"}),
    ]:
        t, _ = timed(lambda a=args: runner.run("grep", a), max(5, rounds // 4))
        report(label, t)
    t, _ = timed(lambda: runner.run("list_files", {"pattern": "lib/**/*.py"}), 10)
    report("list_files lib/**/*.py", t)
    t, _ = timed(lambda: runner.run("find_symbol", {"name": "AnsibleModule"}), 1)
    report("find_symbol (first call: index build)", t)
    t, _ = timed(lambda: runner.run("find_symbol", {"name": "AnsibleModule"}), 10)
    report("find_symbol (index built)", t)
    runner.close()


def main() -> None:
    """Build or open the repository and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repo", type=Path, help="an existing git repository (default: ansible-core sdist)"
    )
    parser.add_argument("--rounds", type=int, default=100, help="read_file calls per measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repoagent-bench-") as tmp:
        if args.repo:
            root = args.repo
        else:
            # Keep the symbol-index cache out of the user's REPOAGENT_HOME.
            os.environ.setdefault("REPOAGENT_HOME", str(Path(tmp) / "home"))
            root = build_ansible_repo(Path(tmp))
        load = os.getloadavg()
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
        )
        bench(root, "HEAD", args.rounds)
        bench(root, None, args.rounds)


if __name__ == "__main__":
    main()
