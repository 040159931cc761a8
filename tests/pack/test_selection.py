"""Files are selected the way git sees them, and every left-out file says why."""

from __future__ import annotations

import os

import pytest

from repoagent.errors import PackError
from repoagent.pack import PackOptions
from tests.conftest import commit_files
from tests.pack.helpers import by_path, pack, root_of


def test_tracked_but_gitignored_files_are_packed(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo(
        {".gitignore": "*.log\nbuild/\n", "keep.log": "tracked log\n", "a.py": "x = 1\n"}
    )
    result = pack(repo)
    assert by_path(result)["keep.log"].level == "full"
    assert "tracked log" in result.text


def test_every_exclusion_reason_appears(make_repo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = {
        "src/app.py": "print('hi')\n",
        "logo.png": b"\x89PNG\r\n\x1a\n\0\0",
        "blob.dat2": b"abc\0def",
        "package-lock.json": "{}\n",
        "api_pb2.py": "x = 1\n",
        "gen/out.py": "y = 2\n",
        "vendor/lib.js": "var a;\n",
        "static/app.min.js": "var a=1;\n",
        "data/huge.csv": "a,b\n" * 40_000,
        "notes/tmp.txt": "scratch\n",
        "private/x.py": "z = 3\n",
        ".env": "SECRET=1\n",
        "latin1.txt": "caf\xe9\n".encode("latin-1"),
        ".gitattributes": "gen/** linguist-generated\n",
        ".repoagentignore": "private/\n",
    }
    repo = make_repo(files)
    root = root_of(repo)
    sub = make_repo({"s.py": "s = 1\n"}, name="subrepo")
    repo.git.execute(
        [
            "git",
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.working_tree_dir,
            "third",
        ]
    )
    os.symlink("src/app.py", root / "inside-link")
    os.symlink("/etc/passwd", root / "outside-link")
    repo.git.add("inside-link", "outside-link")
    repo.git.commit("-qm", "links and submodule")
    result = pack(repo, exclude=("notes/**",))
    reasons = {f.path: f.reason for f in result.files}
    expected = {
        "logo.png": "binary",
        "blob.dat2": "binary",
        "package-lock.json": "lockfile",
        "api_pb2.py": "generated",
        "gen/out.py": "generated",
        "vendor/lib.js": "vendored",
        "static/app.min.js": "minified",
        "data/huge.csv": "too-large",
        "notes/tmp.txt": "excluded-by-glob",
        "private/x.py": "ignored-by-repoagentignore",
        ".env": "secret-file",
        "latin1.txt": "not-utf8",
        "third": "submodule",
        "inside-link": "symlink",
        "outside-link": "symlink-outside",
    }
    for path, reason in expected.items():
        assert reasons[path] == reason, path
    assert by_path(result)["src/app.py"].level == "full"
    for path in expected:
        if path != "inside-link":
            assert f'path="{path}" tokens=' not in result.text
    assert "root:x:0" not in result.text
    # The manifest names each left-out file with its reason.
    assert '<entry path="private/x.py" reason="ignored-by-repoagentignore"/>' in result.text


def test_include_brings_files_back(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"yarn.lock": "lock\n", "vendor/v.py": "v = 1\n", "a.py": "a\n"})
    result = pack(repo, include=("yarn.lock", "vendor/**"))
    assert by_path(result)["yarn.lock"].level == "full"
    assert by_path(result)["vendor/v.py"].level == "full"
    assert "v = 1" in result.text


def test_exclude_everything_include_some(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a/x.py": "x\n", "b/y.py": "y\n"})
    result = pack(repo, exclude=("*",), include=("a/**",))
    assert by_path(result)["a/x.py"].level == "full"
    assert by_path(result)["b/y.py"].reason == "excluded-by-glob"


def test_old_revision_without_touching_work_tree(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "version = 1\n"})
    first = repo.head.commit.hexsha
    commit_files(repo, {"a.py": "version = 2\n", "b.py": "new\n"})
    (root_of(repo) / "a.py").write_text("version = dirty\n")
    status_before = repo.git.status("--porcelain")
    head_before = repo.head.commit.hexsha
    result = pack(repo, rev=first)
    assert result.revision == first
    assert "version = 1" in result.text and "b.py" not in by_path(result)
    assert repo.git.status("--porcelain") == status_before
    assert repo.head.commit.hexsha == head_before
    assert (root_of(repo) / "a.py").read_text() == "version = dirty\n"


def test_a_revision_named_by_its_commit_message(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "version = 1\n"}, message="first release")
    first = repo.head.commit.hexsha
    commit_files(repo, {"a.py": "version = 2\n"}, "second release")
    result = pack(repo, rev=":/first release")  # git's message search, as `git show :/first`
    assert result.revision == first and "version = 1" in result.text


def test_worktree_packs_uncommitted_and_untracked_not_ignored(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({".gitignore": "*.tmp\n", "a.py": "old\n", "gone.py": "bye\n"})
    root = root_of(repo)
    (root / "a.py").write_text("changed\n")
    (root / "new.py").write_text("untracked\n")
    (root / "junk.tmp").write_text("ignored\n")
    (root / "gone.py").unlink()
    result = pack(repo, worktree=True)
    files = by_path(result)
    assert "changed" in result.text and "untracked" in result.text
    assert "junk.tmp" not in files and "gone.py" not in files
    assert files["new.py"].level == "full"


def test_empty_tree_commit_packs_to_a_document(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo()
    repo.git.commit("--allow-empty", "-qm", "empty")
    result = pack(repo)
    assert result.files == []
    assert "(no files)" in result.text


def test_gitattributes_binary_diff_vendored_and_text(make_repo) -> None:  # type: ignore[no-untyped-def]
    attributes = "*.fixture binary\n*.snap -diff\nthird/** linguist-vendored\n*.sh -text\n"
    attributes += "vendor/** linguist-vendored=false\n"
    repo = make_repo(
        {
            ".gitattributes": attributes,
            "a.fixture": "looks like text\n",
            "b.snap": "snapshot\n",
            "third/lib.py": "x = 1\n",
            "run.sh": "echo hi\n",
            "vendor/ours.py": "y = 2\n",
        }
    )
    files = by_path(pack(repo))
    assert files["a.fixture"].reason == "binary"
    assert files["b.snap"].reason == "binary"
    assert files["third/lib.py"].reason == "vendored"
    assert files["run.sh"].level == "full"
    assert files["vendor/ours.py"].level == "full"


def test_a_generator_test_quoting_a_marker_is_not_generated(make_repo) -> None:  # type: ignore[no-untyped-def]
    # sympy/utilities/tests/test_codegen_octave.py: hand-written, but an expected output in a
    # string (within the first 2,000 characters) says "Autogenerated by SymPy".
    test = (
        "from sympy.utilities.codegen import OctaveCodeGen, codegen\n\n\n"
        "def test_empty_m_code():\n"
        "    expected = (\n"
        '        "function y = test(x)\\n"\n'
        '        "  %TEST  Autogenerated by SymPy\\n"\n'
        '        "  %   Code generated with SymPy 1.14\\n"\n'
        "    )\n"
        "    assert codegen('test', 'Octave') == expected\n"
        "# This file is automatically generated? No: a later comment is not a header.\n"
    )
    repo = make_repo({"tests/test_codegen_octave.py": test})
    entry = by_path(pack(repo))["tests/test_codegen_octave.py"]
    assert (entry.level, entry.reason) == ("full", None)


@pytest.mark.parametrize(
    "path, header",
    [
        ("api.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\n// source: api.proto\n\n"),
        ("m.py", "# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"),
        ("t.js", "/**\n * Copyright 2024 Example\n *\n * @generated SignedSource<<abc>>\n */\n"),
        ("T.java", "/**\n * Autogenerated by Thrift Compiler (0.9.3)\n *\n * DO NOT EDIT\n */\n"),
        ("run.sh", "#!/bin/sh\n# This file was automatically generated by configure.\n"),
        ("idna.py", '"""This file is automatically generated by tools/idna-data."""\n'),
        ("page.html", "<?xml version='1.0'?>\n<!-- auto-generated by xsltproc -->\n"),
    ],
)  # fmt: skip
def test_a_generated_header_is_still_left_out(make_repo, path: str, header: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({path: header + "x = 1\n", "a.py": "a = 1\n"})
    assert by_path(pack(repo))[path].reason == "generated"


def test_a_bad_include_or_exclude_glob_is_a_pack_error() -> None:
    with pytest.raises(PackError, match=r"invalid --exclude glob '!'"):
        PackOptions(exclude=("!",))
    with pytest.raises(PackError, match=r"invalid --include glob 'src\\': it ends with a lone"):
        PackOptions(include=("src\\",))
    assert PackOptions(include=("src\\\\", "\\!", "!keep.py")).include  # escaped: valid


def test_an_invalid_repoagentignore_line_is_skipped_as_git_skips_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "a = 1\n", "b.py": "b = 2\n", ".repoagentignore": "b.py\n\n!\n"})
    with pytest.warns(RuntimeWarning, match=r"^\.repoagentignore line 3: skipped the invalid"):
        result = pack(repo)
    assert by_path(result)["b.py"].reason == "ignored-by-repoagentignore"
    assert by_path(result)["a.py"].level == "full"


def test_a_glob_written_like_a_shell_path_matches_from_the_root(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"tests/test_a.py": "x\n", "src/tests/helper.py": "y\n", "main.py": "z\n"})
    files = by_path(pack(repo, exclude=("./tests",)))
    assert files["tests/test_a.py"].reason == "excluded-by-glob"
    assert files["src/tests/helper.py"].level == "full"  # only the root's tests/
    assert by_path(pack(repo, exclude=("*",), include=("./main.py",)))["main.py"].level == "full"
