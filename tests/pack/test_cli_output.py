"""``repoagent pack -o``: new directories are created, and a pack never contains its own output."""

from __future__ import annotations

import json
import re

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


def test_a_subdirectory_path_packs_only_that_directory(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    # As repomix does: `repoagent pack repo/sub` is a pack of sub/, paths relative to the root.
    repo = make_repo(
        {
            "a.py": "a = 1\n",
            "sub/b.py": "b = 2\n",
            "sub/c.py": "c = 3\n",
            "subway.py": "d = 4\n",
            ".gitattributes": "*.py linguist-generated\n",
            "sub/.gitattributes": "c.py -linguist-generated\n",
        }
    )
    code, out, err = run_cli(capsys, "pack", str(root_of(repo) / "sub"), "-f", "json")
    assert code == 0, err
    assert "only sub/ is packed" in err
    document = json.loads(out)
    paths = {f["path"]: f for f in document["files"]}
    assert set(paths) == {"sub/.gitattributes", "sub/b.py", "sub/c.py"}
    # The root's .gitattributes still applies below it (b.py generated; c.py unset again).
    assert paths["sub/b.py"]["reason"] == "generated" and "c = 3" in out
    code, out, err = run_cli(capsys, "pack", str(root_of(repo) / "sub" / "c.py"))
    assert code == 0 and "c = 3" in out and "b = 2" not in out
    assert "only the file sub/c.py is packed" in err and "sub/c.py/" not in err


def test_a_subdirectory_without_committed_files_is_an_error(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n"})
    (root_of(repo) / "new").mkdir()
    (root_of(repo) / "new" / "x.py").write_text("x = 1\n")
    code, _, err = run_cli(capsys, "pack", str(root_of(repo) / "new"))
    assert code == 2 and "no file of revision HEAD is under new" in err
    code, out, _ = run_cli(capsys, "pack", str(root_of(repo) / "new"), "--worktree")
    assert code == 0 and "x = 1" in out and "a = 1" not in out


def test_stats_titles_are_not_wrapped(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.bin": b"\0\0"})
    code, _, err = run_cli(capsys, "pack", repo.working_tree_dir, "--stats")
    assert code == 0 and "Not shown in full, by reason" in err


def test_stats_show_names_that_look_like_markup_as_they_are(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"x[/b]/c.py": "c = 1\n" * 50, "[red]y.py": "y = 2\n" * 40})
    code, _, err = run_cli(capsys, "pack", repo.working_tree_dir, "--stats")
    assert code == 0 and "internal error" not in err
    assert "x[/b]/c.py" in err and "[red]y.py" in err


def test_stats_say_how_much_was_tokenized_and_a_warm_run_tokenizes_nothing(
    make_repo, capsys
) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.py": "def b():\n    return 2\n"})
    code, _, cold = run_cli(capsys, "pack", repo.working_tree_dir, "--stats")
    assert code == 0
    found = re.search(r"tokenized ([\d,]+) texts, ([\d,]+) characters", cold)
    assert found and int(found.group(1)) > 0 and int(found.group(2).replace(",", "")) > 0
    code, _, warm = run_cli(capsys, "pack", repo.working_tree_dir, "--stats")
    assert code == 0 and "tokenized 0 texts, 0 characters" in warm


def test_the_query_can_come_from_standard_input(make_repo, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    repo = make_repo({"a.py": "a = 1\n"})
    monkeypatch.setattr("sys.stdin", io.StringIO("Why does a equal one?\n"))
    code, out, err = run_cli(capsys, "pack", repo.working_tree_dir, "--query", "@-")
    assert code == 0, err
    assert "Why does a equal one?" in out
