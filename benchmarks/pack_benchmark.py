"""Benchmark ``repoagent pack`` on a repository: floor, cold, warm and 10%-budget packs.

Usage: python benchmarks/pack_benchmark.py PATH [--format xml]

Each phase runs in its own process, so wall time includes start-up and the peak memory is that
process's maximum resident set size (``wait4``):

* floor  - read every file the pack selects and count it with the same tokenizer, nothing else
* cold   - ``repoagent pack PATH --budget none`` with an empty cache
* warm   - the same again, cache filled
* budget - a pack with budget = 10% of the cold document, empty cache (graph ranking, then
           --ranking simple, then graph ranking again with the cache it filled)

repoagent's modules are byte-compiled first, as a pip install leaves them (under
``PYTHONDONTWRITEBYTECODE`` every phase would otherwise compile them from source: ~0.05 s each).
A large cold pack forks one worker process on a machine with two cores (``repoagent.forked``);
the peak is the larger of the two processes' (they share most pages).

Targets (issue 2): cold <= 1.2x floor, warm <= 0.1x cold, budget <= 0.4x cold, peak <= 200 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = r"""
import json, sys
from repoagent.pack.tokenizer import load_tokenizer
from repoagent.repo import FileEntry, GitRepository
root, files_json = sys.argv[1], sys.argv[2]
files = [FileEntry(*row) for row in json.load(open(files_json))]
tokenizer = load_tokenizer("llama4")
repo = GitRepository(root)
# Read the way the pack reads (the work-tree copy when it holds the blob exactly, else git).
texts = [data.decode("utf-8", "replace") for _, data in repo.read_tree_files(files)]
print(sum(tokenizer.count_many(texts)))
"""

SELECT = r"""
import json, sys
from repoagent.pack.collect import collect_files
from repoagent.repo import GitRepository
repo = GitRepository(sys.argv[1])
collected = collect_files(repo, repo.resolve("HEAD"), (), ())
listed = {f.path: f for f in repo.list_files(repo.resolve("HEAD"))}
rows = [
    [f.path, f.mode, f.sha, f.size]
    for f in (listed[e.path] for e in collected.entries if e.path in collected.texts)
]
json.dump(rows, open(sys.argv[2], "w"))
"""

SUMMARY = r"""
import json, sys
document = json.load(open(sys.argv[1]))
files = document["files"]
full = sum(1 for f in files if f["level"] == "full")
print(json.dumps({"tokens": int(document["tokens"]), "files": len(files), "full": full}))
"""


def measure(args: list[str], home: Path) -> tuple[float, float, str, str]:
    """Run ``args`` in a child reaped with wait4, so its own peak RSS is known; return the
    seconds, peak MiB, stdout and stderr."""
    env = dict(os.environ, REPOAGENT_HOME=str(home))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read().decode()
        if proc.returncode:
            sys.exit(f"failed: {' '.join(args)}\n{errors}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode(), errors


def main() -> None:
    """Run the four phases and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--format", default="xml")
    options = parser.parse_args()
    root = str(Path(options.path).resolve())
    py = sys.executable
    package = Path(__file__).resolve().parent.parent / "repoagent"
    subprocess.run([py, "-m", "compileall", "-q", str(package)], check=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="pack-bench-") as scratch:
        tmp = Path(scratch)
        shas = tmp / "shas.json"
        measure([py, "-c", SELECT, root, str(shas)], tmp / "h0")
        floor = measure([py, "-c", FLOOR, root, str(shas)], tmp / "h0")
        doc = tmp / "doc.json"
        pack = [py, "-m", "repoagent", "pack", root, "-f", options.format]
        cold = measure([*pack, "--budget", "none", "-o", str(tmp / "cold.out")], tmp / "h1")
        warm = measure([*pack, "--budget", "none", "-o", str(tmp / "warm.out")], tmp / "h1")
        measure([py, "-m", "repoagent", "pack", root, "-f", "json", "--budget", "none",
                 "-o", str(doc)], tmp / "h1")  # fmt: skip
        # Summarised in a child: a child's peak RSS counts the parent's size at fork, so the
        # parent must never hold the parsed document (it made every later phase read 270 MiB).
        summary = json.loads(measure([py, "-c", SUMMARY, str(doc)], tmp / "h0")[2])
        tokens, files, shown = summary["tokens"], summary["files"], summary["full"]
        budget = max(1000, tokens // 10)
        budgeted = measure(
            [*pack, "--budget", str(budget), "--stats", "-o", str(tmp / "budget.out")],
            tmp / "h2",
        )
        tokenized = re.search(r"tokenized [\d,]+ texts, ([\d,]+) characters", budgeted[3])
        budget_chars = len((tmp / "budget.out").read_text(encoding="utf-8"))
        simple = measure(
            [*pack, "--budget", str(budget), "--ranking", "simple", "-o", str(tmp / "s.out")],
            tmp / "h3",
        )
        warm_budget = measure(
            [*pack, "--budget", str(budget), "-o", str(tmp / "budget2.out")], tmp / "h2"
        )
        identical = (tmp / "cold.out").read_bytes() == (tmp / "warm.out").read_bytes()
    print(f"repository: {root}")
    print(f"machine: {os.cpu_count()} cores; files {files} ({shown} packed in full); "
          f"document {tokens:,} tokens (floor counted {int(floor[2]):,} in file texts)")  # fmt: skip
    print(f"{'phase':<22}{'seconds':>9}{'peak MiB':>10}{'ratio':>16}")
    rows = [
        ("floor (read+count)", floor, ""),
        ("cold pack", cold, f"{cold[0] / floor[0]:.2f}x floor"),
        ("warm pack", warm, f"{warm[0] / cold[0]:.2f}x cold"),
        (f"budget {budget:,}", budgeted, f"{budgeted[0] / cold[0]:.2f}x cold"),
        ("  same, simple ranking", simple, f"{simple[0] / cold[0]:.2f}x cold"),
        ("  same, warm cache", warm_budget, f"{warm_budget[0] / cold[0]:.2f}x cold"),
    ]
    for name, (seconds, peak, *_), ratio in rows:
        print(f"{name:<22}{seconds:>9.2f}{peak:>10.0f}{ratio:>16}")
    print(f"cold and warm outputs identical: {identical}")
    if tokenized:
        print(f"budget pack tokenized {tokenized.group(1)} characters for a document of "
              f"{budget_chars:,}")  # fmt: skip
    loads = ", ".join(f"{x:.2f}" for x in (*load_before, *os.getloadavg()))
    print(f"load average (1/5/15 min) before, after: {loads}")


if __name__ == "__main__":
    main()
