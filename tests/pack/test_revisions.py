"""`--rev`/`--base` that name no commit, bare repositories, and a work tree's diff against a base."""

from __future__ import annotations

import pytest

from tests.pack.helpers import run_cli


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
    if flag == "--base":
        err = _one_line_error(*run_cli(capsys, "pack", root, "--base", "HEAD^{tree}"))
        assert "--base HEAD^{tree} names a tree" in err


def test_an_unknown_revision_is_still_unknown(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    err = _one_line_error(*run_cli(capsys, "pack", repo.working_tree_dir, "--rev", "nope^{tree}"))
    assert "unknown revision: nope^{tree}" in err


def test_an_annotated_tag_of_a_commit_packs(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    repo.git.tag("-a", "-m", "release", "v1")
    code, out, _ = run_cli(capsys, "pack", repo.working_tree_dir, "--rev", "v1", "--base", "v1")
    assert code == 0 and repo.head.commit.hexsha in out
