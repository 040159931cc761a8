"""``repoagent pack -o``: new directories are created, and a pack never contains its own output."""

from __future__ import annotations

from tests.pack.helpers import root_of, run_cli


def test_output_into_a_directory_that_does_not_exist(make_repo, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    target = tmp_path / "new" / "deeper" / "pack.xml"
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir, "-o", str(target))
    assert code == 0, err
    assert out == "" and "a = 1" in target.read_text()


def test_worktree_pack_written_inside_the_repository_leaves_itself_out(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    root = root_of(repo)
    target = root / "out" / "pack [1].xml"
    for _ in range(2):
        code, _, err = run_cli(capsys, "pack", str(root), "--worktree", "-o", str(target))
        assert code == 0, err
    text = target.read_text()
    assert text.count("a = 1") == 1  # the first pack is not packed into the second
    assert '<file path="out/pack [1].xml"' not in text


def test_a_subdirectory_path_packs_the_repository_with_it_first(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "sub/b.py": "b = 2\n"})
    code, out, err = run_cli(capsys, "pack", str(root_of(repo) / "sub"), "-f", "json")
    assert code == 0, err
    assert "the whole repository is packed; sub comes first (--focus)" in err
    assert "a = 1" in out and "b = 2" in out


def test_stats_titles_are_not_wrapped(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.bin": b"\0\0"})
    code, _, err = run_cli(capsys, "pack", repo.working_tree_dir, "--stats")
    assert code == 0 and "Not shown in full, by reason" in err
