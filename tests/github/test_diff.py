"""Commentable lines come from the local diff: merge base..head, per file and side."""

from __future__ import annotations

import pytest

from repoagent.errors import RepositoryError
from repoagent.github.diff import commentable_lines, parse_diff

from .conftest import PullRequestRepo, independent_commentable

DIFF = """diff --git a/a.py b/a.py
index 1111111..2222222 100644
--- a/a.py
+++ b/a.py
@@ -10,7 +10,7 @@ def f():
 ctx
 ctx
 ctx
--- this removed line starts with two dashes
+++ this added line starts with two pluses
 ctx
 ctx
 ctx
@@ -40,0 +41,2 @@
+new one
+new two
diff --git "a/t\\303\\251st.py" "b/t\\303\\251st.py"
new file mode 100644
--- /dev/null
+++ "b/t\\303\\251st.py"
@@ -0,0 +1 @@
+x = 1
\\ No newline at end of file
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/old.py b/new.py
similarity index 90%
rename from old.py
rename to new.py
--- a/old.py
+++ b/new.py
@@ -1,3 +1,3 @@
 a
-b
+c
 d
"""


def test_parse_diff_hunks_sides_and_tricky_lines() -> None:
    lines = parse_diff(DIFF)
    assert lines.paths == ["a.py", "gone.py", "new.py", "tést.py"]
    assert lines.lines("a.py") == set(range(10, 17)) | {41, 42}
    assert lines.files["a.py"].added == {13, 41, 42}
    assert lines.lines("a.py", "LEFT") == set(range(10, 17))
    assert lines.lines("tést.py") == {1}
    assert lines.hunk_of("gone.py", 1) is None and lines.hunk_of("gone.py", 1, "LEFT") == 0
    assert lines.files["new.py"].old_path == "old.py" and lines.lines("new.py") == {1, 2, 3}
    # Multi-line ranges must stay inside one hunk.
    assert lines.can_comment("a.py", 12, 15)
    assert not lines.can_comment("a.py", 15, 41)
    assert not lines.can_comment("a.py", 17, 17)
    assert not lines.can_comment("other.py", 1, 1)


def test_commentable_lines_match_git_on_a_real_pull_request(pr_repo: PullRequestRepo) -> None:
    lines = commentable_lines(pr_repo.path, pr_repo.base, pr_repo.head)
    expected = independent_commentable(pr_repo)
    assert lines.paths == sorted(expected)
    for path, numbers in expected.items():
        assert lines.lines(path) == numbers
    # The base moved on (README.md) after the branch point: not part of the pull request.
    assert "README.md" not in lines.files
    assert lines.base == pr_repo.repo.git.merge_base(pr_repo.base, pr_repo.head)
    assert lines.files["app.py"].added == {14, 15}


def test_missing_commit_says_how_to_fix(pr_repo: PullRequestRepo) -> None:
    with pytest.raises(RepositoryError, match="fetch-depth: 0"):
        commentable_lines(pr_repo.path, "0" * 40, pr_repo.head)


def test_unusual_paths_from_real_git(make_repo) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import commit_files

    names = ["dir with space/a b.py", "ünï/cödé.py", 'quote"d.py', "tab\there.py"]
    repo = make_repo({"keep.py": "x\n"})
    base = repo.head.commit.hexsha
    head = commit_files(repo, {n: "one\ntwo\n" for n in names}, "odd names")
    lines = commentable_lines(repo.working_tree_dir, base, head)
    assert lines.paths == sorted(names)
    assert all(lines.lines(n) == {1, 2} for n in names)
