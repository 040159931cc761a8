"""Ranking and indexing benchmark for repoagent's code intelligence (issue 3).

Recall: on real tasks — a commit message (or a release's changelog section) as the query, the
files that change as the answer — what fraction of the answer files does the pack put in front
of the model at each budget? Two methods, same tokenizer, same budgets:

* ``bm25``  — BM25 over whole-file contents, files packed in full in that order (the baseline);
* ``ranked`` — ``rank_files`` order over the ``LexicalIndex`` the packer ranks with (graph +
  BM25 over paths/symbols/contents + priors), whole files (the ranking alone);
* ``packer`` — ``repoagent pack --budget B --query Q`` itself: the fused ranking plus detail
  levels (full text for the best files, outlines for the next, names for the rest).

Both baselines get the room the packer had for file contents (the budget minus its header, tree
and manifest), so every method pays the same overhead.

Indexing: cold (empty cache) and warm ``SymbolIndex.build`` (tree-sitter, for the agent's
tools) and ``LexicalIndex.from_texts`` + ``rank_files`` (the packer's ranking) on a large
repository, next to a tokenize-only floor (read every blob and count it with the pack tokenizer).

Task sources (no internet needed):
  --history REPO        non-merge commits of a git repository (default: this checkout); the
                        index is built at the parent, the answer is the files the commit modified
  --releases DIR        consecutive PyPI sdists (``NAME-VERSION.tar.gz``) in DIR, unpacked into
                        scratch git repos under a temp dir; query = the new version's changelog
                        section, answer = modified files other than the changelog
  --index-repo REPO     a large git repository for the cold/warm indexing figures

Run: python benchmarks/rank_benchmark.py --history . --releases /tmp/sdists --index-repo /tmp/sympy
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from repoagent.cache import BlobCache
from repoagent.code import SymbolIndex, bm25_files, rank_files
from repoagent.code.history import git_activity
from repoagent.code.lexical import LexicalIndex

BUDGETS = (8_000, 16_000, 32_000, 64_000, 128_000)
SKIP = re.compile(r"(^|/)(CHANGES|CHANGELOG|HISTORY|NEWS)[^/]*$|\.(lock|svg|png|ico)$", re.I)


@dataclass
class Task:
    """One query with the files that answer it, at a revision of a repository."""

    repo: Path
    rev: str
    query: str
    answer: set[str]
    label: str


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, errors="replace"
    ).stdout


def history_tasks(repo: Path, limit: int = 200) -> list[Task]:
    """Commits that modified existing files: query = message, answer = modified files."""
    tasks = []
    log = git(repo, "log", f"-n{limit}", "--no-merges", "--format=%H")
    for sha in log.split():
        parents = git(repo, "rev-list", "--parents", "-n1", sha).split()[1:]
        if len(parents) != 1:
            continue
        status = git(repo, "diff", "--name-status", "--no-renames", parents[0], sha)
        modified = {
            line.split("\t", 1)[1]
            for line in status.splitlines()
            if line.startswith("M\t") and not SKIP.search(line)
        }
        if modified:
            message = git(repo, "log", "-n1", "--format=%B", sha).strip()
            tasks.append(Task(repo, parents[0], message, modified, f"commit {sha[:8]}"))
    return tasks


def _version_key(name: str) -> tuple[str, tuple[int, ...]]:
    stem = name.removesuffix(".tar.gz")
    project, _, version = stem.rpartition("-")
    return project.lower(), tuple(int(p) for p in re.findall(r"\d+", version))


def _changelog_section(root: Path, version: str) -> str | None:
    for name in ("CHANGES.rst", "CHANGES.md", "CHANGELOG.md", "CHANGELOG.rst", "HISTORY.rst"):
        path = root / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            match = re.search(
                rf"^Version {re.escape(version)}\b.*?$(.*?)(?=^Version \d|\Z)", text, re.M | re.S
            )
            if match:
                return match.group(1).strip()
    return None


def release_tasks(sdists: Path, scratch: Path) -> list[Task]:
    """Consecutive sdists of a project: the older tree is committed, the newer one diffed."""
    by_project: dict[str, list[Path]] = {}
    for archive in sorted(sdists.glob("*.tar.gz")):
        by_project.setdefault(_version_key(archive.name)[0], []).append(archive)
    tasks = []
    for project, archives in sorted(by_project.items()):
        archives.sort(key=lambda a: _version_key(a.name)[1])
        for old, new in itertools.pairwise(archives):
            repo = scratch / old.name.removesuffix(".tar.gz")
            trees = [scratch / "unpacked" / a.name.removesuffix(".tar.gz") for a in (old, new)]
            for archive, tree in zip((old, new), trees, strict=True):
                if not tree.exists():
                    tree.mkdir(parents=True)
                    with tarfile.open(archive) as tar:
                        tar.extractall(tree, filter="data")
            old_root, new_root = (next(t.iterdir()) for t in trees)
            version = new.name.removesuffix(".tar.gz").rpartition("-")[2]
            query = _changelog_section(new_root, version)
            if not query:
                continue
            if not repo.exists():
                subprocess.run(["cp", "-r", str(old_root), str(repo)], check=True)
                git(repo, "init", "-q", "-b", "main")
                git(repo, "add", "-A")
                git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    "commit", "-qm", old.name)  # fmt: skip
            answer = {
                str(p.relative_to(new_root))
                for p in new_root.rglob("*")
                if p.is_file()
                and (old_root / p.relative_to(new_root)).is_file()
                and p.read_bytes() != (old_root / p.relative_to(new_root)).read_bytes()
                and not SKIP.search(str(p.relative_to(new_root)))
                and "PKG-INFO" not in p.name
                and ".egg-info" not in str(p)
            }
            if answer:
                tasks.append(Task(repo, "HEAD", query, answer, f"{project} {version}"))
    return tasks


# -- packing the two ways -----------------------------------------------------------------------


def load_counter() -> Callable[[str], int]:
    """Exact Llama 4 token counts when the packer's tokenizer is installed, else ~4 chars/token."""
    try:
        from repoagent.pack.tokenizer import load_tokenizer

        return load_tokenizer("llama4").count
    except Exception:
        return lambda text: len(text) // 4 + 1


def read_texts(repo: Path, rev: str, paths: Iterable[str]) -> dict[str, str]:
    texts = {}
    for path in paths:
        try:
            texts[path] = git(repo, "show", f"{rev}:{path}")
        except subprocess.CalledProcessError:
            continue
    return texts


def pack_baseline(order: list[str], full: dict[str, int], budget: int) -> set[str]:
    """Whole files in BM25 order while they fit (a file too big is skipped, not truncated)."""
    used, seen = 0, set()
    for path in order:
        if used + full[path] <= budget:
            used += full[path]
            seen.add(path)
    return seen


def pack_with_packer(task: Task, budget: int) -> tuple[set[str], set[str], int] | None:
    """``repoagent pack --budget B --query Q`` at the task's revision: (visible, full, overhead)."""
    from repoagent.errors import PackError
    from repoagent.pack import PackOptions, pack_repository

    try:
        result = pack_repository(
            PackOptions(path=str(task.repo), rev=task.rev, budget=budget, query=task.query)
        )
    except PackError:
        return None  # the budget is below the header + tree + manifest of this repository
    shown = [f for f in result.files if f.level in ("full", "outline")]
    overhead = result.tokens - sum((f.tokens or 0) + WRAPPER for f in shown)
    visible = {f.path for f in shown}
    return visible, {f.path for f in shown if f.level == "full"}, overhead


WRAPPER = 12
"""Tokens of one file's wrapper (path line, fences) in the baseline's accounting."""


def evaluate(tasks: list[Task], budgets: tuple[int, ...], count: Callable[[str], int]) -> None:
    cache = BlobCache()
    results: dict[tuple[str, int], list[float]] = {}
    for task in tasks:
        index = SymbolIndex.build(task.repo, task.rev, cache=cache)
        answer = task.answer & set(index.paths)
        if not answer:
            continue
        texts = read_texts(task.repo, task.rev, index.paths)
        full = {p: count(t) + WRAPPER for p, t in texts.items()}
        paths = [p for p in index.paths if p in texts]
        lexical = bm25_files(index, task.query, paths)
        bm25_order = sorted(paths, key=lambda p: (-lexical.get(p, 0.0), p))
        recency, churn = git_activity(task.repo, task.rev)
        lexical_index = LexicalIndex.from_texts(texts, cache=cache)
        ranked = rank_files(
            lexical_index, paths=paths, query=task.query, recency=recency, churn=churn
        )
        fused_order = [r.path for r in ranked]
        for budget in budgets:
            packed = pack_with_packer(task, budget)
            if packed is None:
                continue
            visible, at_full, overhead = packed
            room = budget - overhead  # both methods pay the same header, tree and manifest
            for key, seen in (
                ("bm25", pack_baseline(bm25_order, full, room)),
                ("ranked", pack_baseline(fused_order, full, room)),
                ("packer", visible),
                ("packer-full", at_full),
            ):
                results.setdefault((key, budget), []).append(len(seen & answer) / len(answer))
    print("  bm25        = BM25 over whole-file contents, whole files in that order")
    print(
        "  ranked      = rank_files order over the LexicalIndex (graph + BM25 + priors), whole files"
    )
    print("  packer      = repoagent pack --budget B --query Q: files shown in full or as outline")
    print("  packer-full = the same pack, files shown in full only")
    print(f"{'budget':>8} {'tasks':>6} {'bm25':>7} {'ranked':>7} {'packer':>7} {'packer-full':>12}")
    for budget in budgets:
        if ("bm25", budget) not in results:
            continue
        row = [
            statistics.mean(results[(k, budget)])
            for k in ("bm25", "ranked", "packer", "packer-full")
        ]
        n = len(results[("bm25", budget)])
        print(f"{budget:>8} {n:>6} {row[0]:>7.3f} {row[1]:>7.3f} {row[2]:>7.3f} {row[3]:>12.3f}")


def index_figures(repo: Path, count: Callable[[str], int]) -> None:
    """Tokenize-only floor, cold and warm index builds (fresh cache in a temp dir)."""
    from repoagent.repo import open_repository

    handle = open_repository(str(repo))
    commit = handle.resolve("HEAD")
    entries = [e for e in handle.list_files(commit) if e.sha and e.mode.startswith("100")]
    start = time.perf_counter()
    total = sum(
        count(data.decode("utf-8", "replace"))
        for _, data in handle.read_blobs([e.sha for e in entries if e.sha])
    )
    floor = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as home:
        cache = BlobCache(Path(home) / "blobs.sqlite")
        start = time.perf_counter()
        cold = SymbolIndex.build(repo, cache=cache)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        warm = SymbolIndex.build(repo, cache=cache)
        warm_s = time.perf_counter() - start
        start = time.perf_counter()
        rank_files(warm, query="fix the printing of matrices with unicode symbols")
        rank_s = time.perf_counter() - start
    print(f"\nindexing {repo} ({len(entries)} files, {total:,} tokens, {os.cpu_count()} cores)")
    print(f"  tokenize-only floor  {floor:6.2f} s")
    print(
        f"  cold index           {cold_s:6.2f} s  ({cold.parsed_files} files parsed, {cold_s / floor:.1f}x floor)"
    )
    print(f"  warm index           {warm_s:6.2f} s  ({warm.parsed_files} files parsed)")
    print(f"  rank with a query    {rank_s:6.2f} s")
    lexical_figures(repo)


def lexical_figures(repo: Path) -> None:
    """The packer's ranking: ``LexicalIndex`` from texts in memory + ``rank_files``, cold/warm."""
    from repoagent.pack.collect import collect_files
    from repoagent.repo import open_repository

    handle = open_repository(str(repo))
    collected = collect_files(handle, handle.resolve("HEAD"), (), ())
    texts = collected.texts
    shas = {e.path: e.sha for e in collected.entries if e.path in texts and e.sha}
    query = "fix the printing of matrices with unicode symbols"
    print(f"  packer ranking ({len(texts)} candidate texts in memory): LexicalIndex + rank_files")
    with tempfile.TemporaryDirectory() as home:
        cache = BlobCache(Path(home) / "blobs.sqlite")
        for label in ("cold", "warm"):
            start = time.perf_counter()
            index = LexicalIndex.from_texts(texts, shas, cache)
            built = time.perf_counter()
            rank_files(index, query=query)
            done = time.perf_counter()
            print(
                f"    {label}: build {built - start:5.2f} s + rank {done - built:5.2f} s = "
                f"{done - start:5.2f} s  ({index.extracted_files} files extracted)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=Path, help="git repository whose commits are tasks")
    parser.add_argument("--history-limit", type=int, default=200)
    parser.add_argument("--releases", type=Path, help="directory of consecutive sdists")
    parser.add_argument("--index-repo", type=Path, help="large git repository for index timings")
    parser.add_argument("--budgets", default=",".join(map(str, BUDGETS)))
    args = parser.parse_args()
    count = load_counter()
    budgets = tuple(int(b) for b in args.budgets.split(","))
    os.environ.setdefault("REPOAGENT_HOME", tempfile.mkdtemp(prefix="rank-bench-home-"))
    with tempfile.TemporaryDirectory(prefix="rank-bench-") as scratch:
        for name, tasks in (
            ("history", history_tasks(args.history, args.history_limit) if args.history else []),
            ("releases", release_tasks(args.releases, Path(scratch)) if args.releases else []),
        ):
            if tasks:
                print(f"\n== {name}: {len(tasks)} tasks; mean recall of the changed files")
                evaluate(tasks, budgets, count)
    if args.index_repo:
        index_figures(args.index_repo, count)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
