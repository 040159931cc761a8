"""A repository whose file list alone overflows the budget is packed by collapsing directories."""

from __future__ import annotations

import json
import re

import pytest

from repoagent.errors import PackError
from tests.conftest import commit_files
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


@pytest.mark.parametrize("fmt", FORMATS)
def test_files_left_out_for_their_own_reason_stay_listed_in_a_collapsed_directory(
    make_repo, fmt
) -> None:  # type: ignore[no-untyped-def]
    files = _many_files()
    files["tests/unit/group03/fixtures/server.pem"] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
    files["tests/unit/group03/fixtures/.env"] = "TOKEN=abc123def456\n"
    repo = make_repo(files)
    budget = pack(repo, format=fmt, focus=("src/pkg/core.py",)).tokens // 3
    result = pack(repo, budget=budget, format=fmt, focus=("src/pkg/core.py",))
    assert whole_count(result.text) == result.tokens <= budget
    assert FOLDED.search(result.text if fmt != "json" else json.loads(result.text)["tree"])
    entries = by_path(result)
    for path in ("tests/unit/group03/fixtures/server.pem", "tests/unit/group03/fixtures/.env"):
        assert entries[path].reason == "secret-file"
        assert path in result.text  # named in the manifest with its reason, though folded
    assert entries["assets/logo.bin"].reason == "binary"
    assert "assets/logo.bin" in result.text


def test_a_skeleton_that_fits_no_other_way_folds_the_left_out_files_too(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {f"assets/icons/i{i:03}.png": b"\x89PNG\0" + bytes([i % 256]) for i in range(300)}
    files |= {f"src/m{i}.py": f"X{i} = {i}\n" for i in range(30)}
    repo = make_repo(files)
    listed = pack(repo, budget=100_000)
    assert all(f"assets/icons/i{i:03}.png" in listed.text for i in range(300))
    tight = pack(repo, budget=600)  # 300 binary entries alone would not fit
    assert whole_count(tight.text) == tight.tokens <= 600
    assert "assets/icons/i000.png" not in tight.text


@pytest.mark.parametrize("query", [None, "routing"])
def test_the_best_files_directories_fold_when_nothing_else_fits(make_repo, query) -> None:  # type: ignore[no-untyped-def]
    # A --query hit deep in a wide test tree kept that tree's hundreds of lines expanded, and
    # the pack failed with "budget too small" although folding it fits.
    files = {f"lib/pkg/m{i:03d}.py": f"def f{i}():\n    return {i}\n" for i in range(200)}
    files |= {f"test/targets/t{i:03d}/main.yml": f"- name: task {i}\n" for i in range(200)}
    files["test/targets/t100/routing.py"] = "def routing():\n    return 'routing'\n"
    result = pack(make_repo(files), budget=2000, query=query)
    assert whole_count(result.text) == result.tokens <= 2000


def test_a_large_diff_does_not_hide_the_left_out_files_reasons(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = _many_files()
    files["tests/unit/group03/fixtures/server.pem"] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
    repo = make_repo(files)
    budget = pack(repo, focus=("src/pkg/core.py",)).tokens // 3
    repo.git.checkout("-b", "feature")
    # A diff of ~40% of the budget: the skeleton stays over its share after every fold, yet fits.
    change = "".join(f"def step_{j}(x):\n    return x - {j}\n\n" for j in range(120))
    commit_files(repo, {"src/pkg/core.py": change}, "rewrite core")
    result = pack(repo, budget=budget, base="main", focus=("src/pkg/core.py",))
    assert whole_count(result.text) == result.tokens <= budget
    assert "src/pkg/core.py" in (result.diff or "")
    assert "tests/unit/group03/fixtures/server.pem" in result.text
    assert "assets/logo.bin" in result.text
