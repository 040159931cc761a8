"""`--rev`/`--base` that name no commit, bare repositories, and a work tree's diff against a base."""

from __future__ import annotations

import pytest

from tests.pack.helpers import root_of, run_cli


def _one_line_error(code: int, out: str, err: str) -> str:
    """The error line of a failed run (asserting it is one line, exit 2, nothing on stdout)."""
    assert code == 2 and out == ""
    assert err.startswith("repoagent: error: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    return err.strip()


@pytest.mark.parametrize("flag", ["--rev", "--base"])
def test_a_revision_naming_a_tree_or_blob_says_it_is_not_a_commit(
    make_repo, capsys, flag: str
) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "src/b.py": "b = 2\n"})
    repo.git.tag("tree-tag", "HEAD^{tree}")
    repo.git.tag("-a", "-m", "an annotated tag of a blob", "blob-tag", "HEAD:a.py")
    blob = repo.git.rev_parse("HEAD:a.py")
    root = repo.working_tree_dir
    cases = {
        "HEAD^{tree}": "tree",
        "HEAD:src": "tree",
        blob: "blob",
        "tree-tag": "tree",
        "blob-tag": "blob",
    }
    for rev, kind in cases.items():
        err = _one_line_error(*run_cli(capsys, "pack", root, flag, rev))
        assert f"{rev} names a {kind}, not a commit" in err
        assert "unknown revision" not in err
    err = _one_line_error(*run_cli(capsys, "pack", root, flag, "HEAD^{tree}"))
    assert f"{flag} HEAD^{{tree}} names a tree" in err


def test_an_unknown_revision_is_still_unknown(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    err = _one_line_error(*run_cli(capsys, "pack", repo.working_tree_dir, "--rev", "nope^{tree}"))
    assert "unknown revision: nope^{tree}" in err


def test_an_annotated_tag_of_a_commit_packs(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    repo.git.tag("-a", "-m", "release", "v1")
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir, "--rev", "v1", "--base", "v1")
    assert code == 0 and repo.head.commit.hexsha in out


def _bare_clone(repo, tmp_path):  # type: ignore[no-untyped-def]
    """A bare clone of ``repo`` (``name.git``) and a snapshot function of its files."""
    import git

    bare = tmp_path / "project.git"
    git.Repo.clone_from(repo.working_tree_dir, bare, bare=True)
    return bare


def _snapshot(root) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_a_bare_repository_packs_its_head_and_other_revisions(make_repo, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import commit_files

    repo = make_repo({"app.py": "def app():\n    return 1\n", "README.md": "# Project\n"})
    first = repo.head.commit.hexsha
    commit_files(repo, {"app.py": "def app():\n    return 2\n", "config": "not git's\n"})
    bare = _bare_clone(repo, tmp_path)
    before = _snapshot(bare)
    code, out, err = run_cli(capsys, "pack", str(bare), "-f", "plain")
    assert code == 0, err
    assert "Repository: project\n" in out and f"Revision: {repo.head.commit.hexsha}" in out
    assert "return 2" in out and "# Project" in out
    # A tracked file named like one of git's own ("config") is the blob, not .git/config.
    assert "not git's" in out and "[core]" not in out
    code, out, err = run_cli(capsys, "pack", str(bare), "--rev", first, "-f", "xml")
    assert code == 0, err
    assert "return 1" in out and "return 2" not in out and 'source="' + first in out
    code, out, err = run_cli(capsys, "pack", str(bare), "--base", first, "-f", "xml")
    assert code == 0, err
    assert f'<diff base="{first}">' in out and "-    return 1\n+    return 2" in out
    assert _snapshot(bare) == before


def test_a_bare_repository_has_no_work_tree_to_pack(make_repo, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"app.py": "A = 1\n"})
    bare = _bare_clone(repo, tmp_path)
    err = _one_line_error(*run_cli(capsys, "pack", str(bare), "--worktree"))
    assert "bare repository" in err and "work tree" in err and "must be run" not in err
    err = _one_line_error(*run_cli(capsys, "pack", str(bare), "--worktree", "--base", "HEAD"))
    assert "bare repository" in err


def test_a_path_inside_the_git_directory_is_refused_clearly(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"app.py": "A = 1\n"})
    err = _one_line_error(*run_cli(capsys, "pack", repo.git_dir))
    assert ".git directory" in err and "must be run" not in err
    bare = _bare_clone(repo, root_of(repo).parent)
    err = _one_line_error(*run_cli(capsys, "pack", str(bare / "objects")))
    assert "inside the bare repository" in err
    err = _one_line_error(*run_cli(capsys, "pack", str(bare / "HEAD")))
    assert "inside the bare repository" in err


def test_a_file_only_the_index_lost_is_diffed_as_packed(make_repo) -> None:  # type: ignore[no-untyped-def]
    from tests.pack.helpers import by_path, pack

    repo = make_repo({"app.py": "A = 1\n", "keep.py": "K = 1\n", "gone.py": "G = 1\n"})
    root = root_of(repo)
    (root / "app.py").write_text("A = 2\n")
    repo.git.rm("--cached", "--quiet", "app.py")  # still on disk: the pack shows it, untracked
    repo.git.rm("--quiet", "gone.py")  # removed from the disk too: not in the pack
    (root / "new.py").write_text("N = 1\n")
    index_before = (root / ".git" / "index").read_bytes()
    objects_before = repo.git.count_objects("-v")
    result = pack(repo, worktree=True, base="HEAD", format="plain")
    assert by_path(result)["app.py"].level == "full" and "gone.py" not in by_path(result)
    diff = result.diff or ""
    app = diff[diff.index("diff --git a/app.py b/app.py") :].split("diff --git")[1]
    assert "deleted file" not in app and "new file" not in app
    assert "-A = 1\n+A = 2\n" in app
    assert diff.count("diff --git a/app.py") == 1
    assert "diff --git a/gone.py b/gone.py\ndeleted file mode" in diff
    assert "diff --git a/new.py b/new.py\nnew file mode" in diff and "+N = 1" in diff
    # The repository's index and objects are as they were.
    assert (root / ".git" / "index").read_bytes() == index_before
    assert repo.git.count_objects("-v") == objects_before


@pytest.mark.parametrize(
    "setup", ["attributes", "autocrlf", "eol"], ids=["text=auto", "core.autocrlf", "eol=lf"]
)
def test_new_files_under_a_line_ending_conversion_are_diffed(make_repo, setup: str) -> None:  # type: ignore[no-untyped-def]
    from tests.pack.helpers import pack

    attributes = {"attributes": "* text=auto\n", "eol": "*.py eol=lf\n"}.get(setup, "")
    repo = make_repo({"app.py": "A = 1\n", ".gitattributes": attributes or "# none\n"})
    if setup == "autocrlf":
        repo.git.config("core.autocrlf", "true")
    root = root_of(repo)
    (root / "new.py").write_text("def new():\n    return 2\n")
    objects_before = repo.git.count_objects("-v")
    diff = pack(repo, worktree=True, base="HEAD", format="plain").diff or ""
    assert "diff --git a/new.py b/new.py\nnew file mode" in diff
    assert "+def new():\n+    return 2\n" in diff
    assert repo.git.count_objects("-v") == objects_before
