"""What the model sees from each tool: formats, caps, and the snapshot it reads."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import git

from repoagent.toolbox import SandboxToolRunner


def root_of(repo: git.Repo) -> str:
    return repo.working_tree_dir or ""


def test_grep_formats_matches_as_path_line_text(sandbox_repo: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(sandbox_repo), "HEAD")
    out = runner.run("grep", {"pattern": r"def \w+\("})
    assert out.splitlines() == [
        "src/app.py:4: def load(path):",
        "src/app.py:8: def main():",
        "src/util.py:1: def helper():",
        "tests/test_app.py:4: def test_helper():",
    ]
    assert (
        runner.run("grep", {"pattern": "def", "path": "*util*"}) == "src/util.py:1: def helper():"
    )
    assert (
        runner.run("grep", {"pattern": "('x')", "fixed_string": True})
        == "src/app.py:9:     return load('x')"
    )
    assert "src/util.py:1" in runner.run("grep", {"pattern": "HELPER", "ignore_case": True})
    assert runner.run("grep", {"pattern": "binary"}).startswith("no matches")  # binary skipped


def test_grep_caps_results_and_asks_to_narrow(make_repo: Callable[..., git.Repo]) -> None:
    files = {f"pkg/m{i:02}.py": "".join(f"value_{j} = {j}\n" for j in range(20)) for i in range(30)}
    runner = SandboxToolRunner(root_of(make_repo(files)), "HEAD")
    out = runner.run("grep", {"pattern": "value_"})
    lines = out.splitlines()
    assert len(lines) == 51
    assert lines[0] == "pkg/m00.py:1: value_0 = 0"
    assert "600 matches" in lines[-1] and "showing the first 50" in lines[-1]
    assert "Narrow the pattern" in lines[-1]
    assert len(runner.run("grep", {"pattern": "value_", "max_results": 500}).splitlines()) == 201


def test_read_file_numbers_lines_and_pages(make_repo: Callable[..., git.Repo]) -> None:
    text = "".join(f"line {i}\n" for i in range(1, 1001))
    runner = SandboxToolRunner(root_of(make_repo({"big.txt": text})), "HEAD")
    out = runner.run("read_file", {"path": "big.txt"}).splitlines()
    assert out[0].startswith("big.txt (lines 1-200 of 1000, commit ")
    assert out[1] == "  1 | line 1"
    assert out[-1] == "[… 800 more lines; call read_file with start_line=201 to continue]"
    window = runner.run("read_file", {"path": "./big.txt", "start_line": 995, "end_line": 2000})
    assert window.splitlines()[1:] == [f"{i:>4} | line {i}" for i in range(995, 1001)]
    capped = runner.run("read_file", {"path": "big.txt", "start_line": 1, "end_line": 1000})
    assert "lines 1-300 of 1000" in capped
    assert runner.run("read_file", {"path": "big.txt", "start_line": 5000}).startswith("error:")


def test_read_file_caps_huge_lines_and_refuses_binary(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo({"min.js": "x" * 100_000 + "\n", "img.png": b"\x89PNG\x00\x00"})
    runner = SandboxToolRunner(root_of(repo), "HEAD")
    out = runner.run("read_file", {"path": "min.js"})
    assert len(out) < 1_000 and "more characters]" in out
    assert "binary file" in runner.run("read_file", {"path": "img.png"})
    assert "is a directory" in runner.run("read_file", {"path": "."}) or runner.run(
        "read_file", {"path": "."}
    ).startswith("error:")


def test_output_cap_keeps_head_and_tail(make_repo: Callable[..., git.Repo]) -> None:
    files = {f"f{i:03}.txt": "needle " + "y" * 250 + "\n" for i in range(200)}
    runner = SandboxToolRunner(root_of(make_repo(files)), "HEAD", max_output_chars=4_000)
    out = runner.run("grep", {"pattern": "needle", "max_results": 200})
    assert len(out) <= 4_300
    assert out.startswith("f000.txt:1: needle")
    assert "truncated" in out and "omitted from the middle" in out
    assert "200 matches" not in out or out.rstrip().endswith("]")


def test_list_files_globs(sandbox_repo: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(sandbox_repo), "HEAD")
    root = Path(root_of(sandbox_repo))
    sizes = {
        p: (root / p).stat().st_size for p in ("src/app.py", "src/util.py", "tests/test_app.py")
    }
    assert runner.run("list_files", {"pattern": "*.py"}).splitlines() == [
        "data/util_link.py  (14 bytes, symlink)",
        f"src/app.py  ({sizes['src/app.py']} bytes)",
        f"src/util.py  ({sizes['src/util.py']} bytes)",
        f"tests/test_app.py  ({sizes['tests/test_app.py']} bytes)",
    ]
    assert runner.run("list_files", {"pattern": "src/"}).count("\n") == 1
    assert runner.run("list_files", {"pattern": "src/**/*.py"}).count("src/") == 2
    assert "showing the first 2" in runner.run("list_files", {"max_results": 2})
    assert runner.run("list_files", {"pattern": "*.rs"}).startswith("no files match")


def test_tools_read_the_revision_not_the_dirty_work_tree(dirty: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(dirty), "HEAD")
    assert "return 42" in runner.run("read_file", {"path": "src/util.py"})
    assert runner.run("grep", {"pattern": "DIRTY-EDIT"}).startswith("no matches")
    assert runner.run("read_file", {"path": "notes.txt"}).startswith("error: no file")
    assert "src/staged.py" not in runner.run("list_files", {})


def test_tools_read_the_work_tree_when_asked(dirty: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(dirty), None)
    assert "DIRTY-EDIT" in runner.run("read_file", {"path": "src/util.py"})
    assert (
        runner.run("grep", {"pattern": "DIRTY-EDIT"})
        == "src/util.py:2:     return 43  # DIRTY-EDIT"
    )
    assert runner.run("grep", {"pattern": "UNTRACKED-NOTE"}) == "notes.txt:1: UNTRACKED-NOTE"
    listing = runner.run("list_files", {})
    assert "notes.txt" in listing and "src/staged.py" in listing
    # Ignored files are not part of the reviewed snapshot.
    assert ".env" not in listing.split()
    assert runner.run("read_file", {"path": ".env"}).startswith("error: no file")
    assert runner.run("grep", {"pattern": "IGNORED-SECRET"}).startswith("no matches")
    diff = runner.run("git_diff", {})
    assert "+    return 43  # DIRTY-EDIT" in diff
    assert "+++ b/notes.txt\n@@ -0,0 +1 @@\n+UNTRACKED-NOTE" in diff  # new files too
    assert "IGNORED-SECRET" not in diff


def test_git_log_and_diff_are_bounded(
    make_repo: Callable[..., git.Repo], commit_many: Callable[[git.Repo, int], None]
) -> None:
    repo = make_repo({"a.txt": "0\n"})
    commit_many(repo, 60)
    runner = SandboxToolRunner(root_of(repo), "HEAD")
    log = runner.run("git_log", {"max_count": 500}).splitlines()
    assert len(log) == 50
    assert re.match(r"^[0-9a-f]{7,} \d{4}-\d\d-\d\d Test Author: change 60$", log[0])
    assert runner.run("git_log", {"path": "a.txt", "max_count": 1}).endswith("change 60")
    diff = runner.run("git_diff", {})
    assert "-59" in diff and "+60" in diff
    assert "1 file changed" in runner.run("git_diff", {"base": "HEAD~3", "stat_only": True})
    assert runner.run("git_diff", {"base": "no-such-rev"}).startswith("error: unknown revision")


def test_git_blame_marks_uncommitted_lines(dirty: git.Repo) -> None:
    at_head = SandboxToolRunner(root_of(dirty), "HEAD").run("git_blame", {"path": "src/util.py"})
    lines = at_head.splitlines()
    assert lines[0].startswith("src/util.py (lines 1-2 of 2, commit ")
    assert re.match(r"^2 \| [0-9a-f]{8} \d{4}-\d\d-\d\d Test Author \|     return 42$", lines[2])
    in_tree = SandboxToolRunner(root_of(dirty), None).run("git_blame", {"path": "src/util.py"})
    assert in_tree.splitlines()[2] == "2 | not committed yet |     return 43  # DIRTY-EDIT"


def test_find_symbol_uses_the_code_index(dirty: git.Repo) -> None:
    out = SandboxToolRunner(root_of(dirty), "HEAD").run("find_symbol", {"name": "helper"})
    assert "src/util.py:1: function helper" in out
    assert "tests/test_app.py:" in out
    assert "no definitions of nothing_here" in SandboxToolRunner(root_of(dirty), None).run(
        "find_symbol", {"name": "nothing_here"}
    )


def test_tools_leave_the_checkout_byte_identical(
    dirty: git.Repo, digest: Callable[[Path], str]
) -> None:
    root = Path(root_of(dirty))
    before = digest(root)
    for rev in ("HEAD", None):
        runner = SandboxToolRunner(root, rev)
        runner.run("grep", {"pattern": "def"})
        runner.run("read_file", {"path": "src/app.py"})
        runner.run("list_files", {})
        runner.run("find_symbol", {"name": "load"})
        runner.run("git_log", {})
        runner.run("git_diff", {"base": "HEAD~1"})
        runner.run("git_blame", {"path": "src/util.py"})
    assert digest(root) == before


def test_read_file_accepts_grep_style_path_line_and_suggests_paths(sandbox_repo: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(sandbox_repo), "HEAD")
    assert runner.run("read_file", {"path": "src/app.py:5"}).startswith(
        "src/app.py (lines 1-9 of 9"
    )
    missing = runner.run("read_file", {"path": "app.py"})
    assert missing.startswith("error: no file 'app.py'") and "did you mean: src/app.py?" in missing


def test_concurrent_calls_from_parallel_investigations(sandbox_repo: git.Repo) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with SandboxToolRunner(root_of(sandbox_repo), "HEAD") as runner:
        calls = [
            ("grep", {"pattern": "def helper"}),
            ("read_file", {"path": "src/util.py"}),
            ("find_symbol", {"name": "helper", "kind": "definitions"}),
            ("list_files", {"pattern": "src/"}),
        ] * 10
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda c: runner.run(*c), calls))
    assert results[:4] == results[4:8] == results[-4:]
    assert results[0] == "src/util.py:1: def helper():"
    assert not any(r.startswith("error:") for r in results)


def test_arguments_as_json_text_and_timings(sandbox_repo: git.Repo) -> None:
    runner = SandboxToolRunner(root_of(sandbox_repo), "HEAD")
    assert runner.run("grep", '{"pattern": "def helper"}') == "src/util.py:1: def helper():"  # type: ignore[arg-type]
    assert runner.run("grep", "[1]").startswith("error: arguments must be a JSON object")  # type: ignore[arg-type]
    assert runner.timings()["grep"][0] == 2
