"""The packer with code intelligence: ranked scores, outlines, budgets used well."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git

from repoagent.pack import PackOptions, PackResult, pack_repository
from repoagent.pack.tokenizer import load_tokenizer


def _module(name: str, calls: str | None = None, topic: str = "data") -> str:
    """A module of a few documented functions, ~800 tokens (outline ~300)."""
    lines = [f'"""The {name} module: helpers for {topic}."""', "", "import os", ""]
    for i in range(8):
        lines += [
            "",
            f"def {name}_step_{i}(value, options=None):",
            f'    """Step {i} of {name}: transform the {topic} value."""',
            "    result = []",
            "    for item in value:",
            "        if item is None:",
            "            continue",
            "        if isinstance(item, str):",
            "            item = item.strip().lower()",
            f"        result.append(item * {i + 1} + len(os.sep))",
            "    if options and options.get('reverse'):",
            "        result.reverse()",
            "    return result",
        ]
    if calls:
        lines += ["", "", "def run(value):", f"    return {calls}(value)"]
    return "\n".join(lines) + "\n"


def _repo(make_repo: Callable[..., git.Repo]) -> git.Repo:
    files = {f"pkg/mod{i:02d}.py": _module(f"mod{i:02d}") for i in range(24)}
    files["pkg/headers.py"] = _module("headers", topic="unicode response headers")
    files["pkg/client.py"] = _module("client", calls="headers_step_3")
    files["README.md"] = "# Demo\n\nA demo package.\n"
    return make_repo(files)


def _pack(repo: git.Repo, **kwargs: Any) -> PackResult:
    return pack_repository(PackOptions(path=str(repo.working_tree_dir), **kwargs))


def test_budget_is_respected_and_mostly_used_with_the_best_files_in_full(make_repo) -> None:
    repo = _repo(make_repo)
    whole = _pack(repo).tokens
    budget = whole // 3
    result = _pack(repo, budget=budget, query="Fix handling of unicode in response headers")
    count = len(load_tokenizer("llama4").encoding.encode_ordinary(result.text))
    assert count == result.tokens <= budget
    assert result.tokens >= 0.9 * budget
    shown = sorted(
        (f for f in result.files if f.level in ("full", "outline")), key=lambda f: -f.score
    )
    assert shown[0].path == "pkg/headers.py" and shown[0].level == "full"
    levels = {f.level for f in result.files}
    assert {"full", "outline", "listed"} <= levels
    # Outlines carry the original line numbers.
    assert "6│def mod" in result.text or "│def " in result.text


def test_callers_and_callees_of_the_focus_score_above_unrelated_files(make_repo) -> None:
    repo = _repo(make_repo)
    budget = _pack(repo).tokens // 3
    scores = {f.path: f.score for f in _pack(repo, budget=budget, focus=("pkg/headers.py",)).files}
    assert all(scores["pkg/client.py"] > scores[f"pkg/mod{i:02d}.py"] for i in range(24))
    scores = {f.path: f.score for f in _pack(repo, budget=budget, focus=("pkg/client.py",)).files}
    assert all(scores["pkg/headers.py"] > scores[f"pkg/mod{i:02d}.py"] for i in range(24))


def test_json_lists_level_and_score_of_each_file_in_output_order(make_repo) -> None:
    repo = _repo(make_repo)
    budget = _pack(repo).tokens // 4
    doc = json.loads(_pack(repo, budget=budget, format="json", query="response headers").text)
    files = [f for f in doc["files"] if f["level"] is not None]
    assert files and all(isinstance(f["score"], float | int) for f in files)
    outlined = [f for f in files if f["level"] == "outline" and "content" in f]
    assert outlined and all("⋮..." in f["content"] for f in outlined)
    assert max(files, key=lambda f: f["score"])["path"] == "pkg/headers.py"


def test_a_cold_or_warm_lexical_index_gives_the_same_pack(make_repo, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import repoagent.pack.relevance as relevance

    repo = _repo(make_repo)
    budget = _pack(repo).tokens // 3
    queries = ("Fix handling of unicode in response headers", "client run")
    # In one home: the first pack extracts every file, the others reuse the cached records.
    expected = {
        (q, w): _pack(repo, budget=budget, query=q, worktree=w)
        for q in queries
        for w in (False, True)
    }
    for n, ((query, worktree), warm) in enumerate(expected.items()):
        monkeypatch.setenv("REPOAGENT_HOME", str(tmp_path / f"home-{n}"))  # an empty cache
        before = relevance.rankings_computed
        cold = _pack(repo, budget=budget, query=query, worktree=worktree)
        assert relevance.rankings_computed == before + 1
        assert cold.text == warm.text
        assert [(f.path, f.level, f.score) for f in cold.files] == [
            (f.path, f.level, f.score) for f in warm.files
        ]


def test_a_repeated_pack_reuses_its_ranking(make_repo) -> None:  # type: ignore[no-untyped-def]
    import repoagent.pack.relevance as relevance

    repo = _repo(make_repo)
    budget = _pack(repo).tokens // 3
    first = _pack(repo, budget=budget, query="unicode headers")
    computed = relevance.rankings_computed
    again = _pack(repo, budget=budget, query="unicode headers")
    assert relevance.rankings_computed == computed  # same files, same task: nothing ranked
    assert again.text == first.text
    _pack(repo, budget=budget, query="client run")  # another task is ranked anew
    assert relevance.rankings_computed == computed + 1
    (Path(str(repo.working_tree_dir)) / "pkg" / "client.py").write_text("def run():\n    pass\n")
    repo.index.add(["pkg/client.py"])
    repo.index.commit("change client")
    _pack(repo, budget=budget, query="unicode headers")  # a changed file: ranked anew
    assert relevance.rankings_computed == computed + 2
