"""A repository whose file list alone overflows the budget is packed by collapsing directories."""

from __future__ import annotations

import json
import re

import pytest

from repoagent.errors import PackError
from tests.pack.helpers import FORMATS, by_path, pack, whole_count

FOLDED = re.compile(r"^ *([\w.-]+)/ \(([\d,]+) files?, [\d.]+ [KM]?B, not shown\)$", re.M)


def _many_files() -> dict[str, str]:
    """~300 small files in nested directories, plus one substantial module under src/."""
    files = {
        f"tests/unit/group{g:02}/case{c:02}/test_item{i}.py": f"def test_{g}_{c}_{i}():\n    pass\n"
        for g in range(10)
        for c in range(6)
        for i in range(4)
    }
    files |= {f"docs/chapter{i:02}/page.md": f"Page {i}\n" for i in range(40)}
    files |= {f"src/pkg/helpers/h{i:02}.py": f"H{i} = {i}\n" for i in range(20)}
    files["src/pkg/core.py"] = "".join(
        f"def step_{j}(x):\n    return x + {j}\n\n" for j in range(30)
    )
    files["assets/logo.bin"] = "\0binary"
    return files


@pytest.fixture
def big_repo(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(_many_files())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_skeleton_over_budget_collapses_directories(big_repo, fmt) -> None:  # type: ignore[no-untyped-def]
    unbudgeted = pack(big_repo, format=fmt, focus=("src/pkg/core.py",))
    budget = unbudgeted.tokens // 3
    result = pack(big_repo, budget=budget, format=fmt, focus=("src/pkg/core.py",))
    assert whole_count(result.text) == result.tokens <= budget
    files = by_path(result)
    assert files["src/pkg/core.py"].level == "full"
    hidden = [f for f in result.files if f.level is None and f.reason == "budget"]
    assert len(hidden) >= 100
    # Hidden files are named nowhere in the document; each folded directory says what it hides.
    assert all(f.path not in result.text for f in hidden[:50])
    if fmt == "json":
        doc = json.loads(result.text)
        folded = [f for f in doc["files"] if f["reason"] == "collapsed"]
        assert folded and all(f["path"].endswith("/") and f["level"] is None for f in folded)
        assert sum(f["files"] for f in folded) >= len(hidden)
        assert {f["path"] for f in doc["files"]}.isdisjoint(f.path for f in hidden)
        tree = doc["tree"]
    else:
        tree = result.text
    counts = [int(n.replace(",", "")) for _, n in FOLDED.findall(tree)]
    assert counts and sum(counts) >= len(hidden)
    coverage = {c.path: c for c in result.coverage()}
    assert all(coverage[f.path].level is None for f in hidden)
    assert coverage["src/pkg/core.py"].level == "full"


def test_the_least_relevant_directories_collapse_first(big_repo) -> None:  # type: ignore[no-untyped-def]
    unbudgeted = pack(big_repo, focus=("src/pkg/core.py",))
    result = pack(big_repo, budget=unbudgeted.tokens // 3, focus=("src/pkg/core.py",))
    files = by_path(result)
    # The focus file's own directory is never folded; its neighbours stay visible by name.
    assert "src/pkg/helpers/" in result.text or "helpers/" in result.text
    assert files["src/pkg/core.py"].level == "full"
    hidden_tests = sum(f.level is None for p, f in files.items() if p.startswith("tests/"))
    hidden_src = sum(f.level is None for p, f in files.items() if p.startswith("src/"))
    assert hidden_tests > 0
    assert hidden_tests / 240 >= hidden_src / 21


def test_collapsed_packs_are_byte_stable(big_repo) -> None:  # type: ignore[no-untyped-def]
    first = pack(big_repo, budget=1500, format="json").text
    assert first == pack(big_repo, budget=1500, format="json").text


def test_a_budget_below_the_fully_collapsed_skeleton_still_fails(big_repo) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PackError, match=r"too small: the header, tree, manifest alone take \d+"):
        pack(big_repo, budget=60)


def test_unbudgeted_and_roomy_packs_collapse_nothing(big_repo) -> None:  # type: ignore[no-untyped-def]
    for budget in (None, 10**6):
        result = pack(big_repo, budget=budget)
        assert "not shown)" not in result.text
        assert all(f.level is not None for f in result.files if f.path != "assets/logo.bin")


def test_stats_count_collapsed_files_apart_from_listed_ones(big_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.pack.helpers import run_cli

    root = big_repo.working_tree_dir
    unbudgeted = pack(big_repo)
    budget = str(unbudgeted.tokens // 3)
    code, _, err = run_cli(capsys, "pack", root, "--budget", budget, "--stats", "-o", "/dev/null")
    assert code == 0, err
    hidden = sum(
        f.level is None and f.reason == "budget" for f in pack(big_repo, budget=int(budget)).files
    )
    assert hidden >= 100
    assert re.search(rf"collapsed\s*│\s*{hidden}\s*│", err)
    assert re.search(rf"budget \(in a collapsed directory\)\s*│\s*{hidden}\s*│", err)
