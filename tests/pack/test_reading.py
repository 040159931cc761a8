"""Where the packer's bytes come from: the work tree when it holds a blob exactly, else git."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import tiktoken.load

from repoagent.pack.document import Document
from repoagent.pack.tokenizer import read_ranks

from .helpers import FORMATS, by_path, pack, whole_count


def test_a_head_pack_never_shows_uncommitted_edits_of_the_same_size(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "value = 1\n", "b.py": "other = 2\n", "c.py": "gone = 3\n"})
    root = Path(repo.working_tree_dir)
    (root / "a.py").write_text("value = 9\n")  # same size, other bytes
    (root / "b.py").unlink()
    (root / "c.py").unlink()
    (root / "c.py").symlink_to("/etc/hostname")
    text = pack(repo).text
    assert "value = 1" in text and "value = 9" not in text
    assert "other = 2" in text and "gone = 3" in text
    assert (root / "a.py").read_text() == "value = 9\n"  # the work tree is left as it was


def test_an_older_revision_is_read_from_git_when_the_work_tree_moved_on(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "old = 1\n"})
    first = repo.head.commit.hexsha
    root = Path(repo.working_tree_dir)
    (root / "a.py").write_text("new = 2\n")
    repo.index.add(["a.py"])
    repo.index.commit("second")
    assert "old = 1" in pack(repo, rev=first).text
    assert "new = 2" in pack(repo).text


def test_rank_file_reader_matches_tiktoken() -> None:
    path = resources.files("llama_models") / "llama4" / "tokenizer.model"
    with resources.as_file(path) as real:
        expected = tiktoken.load.load_tiktoken_bpe(str(real))
    assert read_ranks(path.read_bytes()) == expected


@pytest.mark.parametrize("bad", [b"QUJD\n", b"QUJD x\n", b"!!! 1\n"])
def test_a_malformed_rank_file_is_refused(bad: bytes) -> None:
    with pytest.raises(ValueError):
        read_ranks(bad)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_joins_its_parts_where_counts_add_up(make_repo, fmt: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "def f():\n    return 1\n", "notes.md": "# Notes\n\n  indented\n"})
    result = pack(repo, format=fmt, query="what does f do?")
    assert result._document.joins_are_safe()
    assert whole_count(result.text) == result.tokens


def test_an_unsafe_join_is_detected() -> None:
    assert not Document(["a\n", " b\n"], 0).joins_are_safe()  # whitespace after a newline
    assert not Document(["a\n", "/b\n"], 0).joins_are_safe()  # '/' joins a newline chunk
    assert not Document(["word", "s\n"], 0).joins_are_safe()  # letters run on
    assert Document(["a\n", ("b", "\n"), "c\n"], 0).joins_are_safe()


def test_cached_counts_follow_line_numbers_and_redaction(make_repo) -> None:  # type: ignore[no-untyped-def]
    # Counts are cached by blob and rendering options: switching options must not reuse them.
    key = "AKIA" + "IOSFODNN7EXAMPLE"
    repo = make_repo({"a.py": f'KEY = "{key}"\n' + "x = 1\n" * 30})
    for options in ({}, {"line_numbers": True}, {"redact": False}, {}):
        result = pack(repo, **options)
        assert whole_count(result.text) == result.tokens
        assert by_path(result)["a.py"].tokens is not None


def test_punctuation_runs_and_letters_join_safely() -> None:
    assert Document(['{"a":1,"', ("b", "\n")], 0).joins_are_safe()  # ,"|b: one punctuation chunk
    assert not Document(['x"', ("b", "\n")], 0).joins_are_safe()  # "b would be one chunk
    assert Document(["level", ('">\n',)], 0).joins_are_safe()


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_files_git_does_not_compare_with_the_disk_are_still_read_exactly(make_repo, flag) -> None:  # type: ignore[no-untyped-def]
    # git trusts these bits and reports such files unchanged; the packer must not.
    repo = make_repo({"a.py": "value = 1\n", "b.py": "other = 2\n"})
    repo.git.update_index(flag, "a.py")
    (Path(repo.working_tree_dir) / "a.py").write_text("value = 9\n")
    text = pack(repo).text
    assert "value = 1" in text and "value = 9" not in text


def test_sizes_are_the_committed_blobs_not_the_work_tree_files(make_repo) -> None:  # type: ignore[no-untyped-def]
    repo = make_repo({"a.py": "small = 1\n", "b.py": "b = 2\n"})
    (Path(repo.working_tree_dir) / "a.py").write_text("x = 1\n" * 300_000)  # now "too large"
    result = pack(repo)
    assert by_path(result)["a.py"].size == len("small = 1\n")
    assert by_path(result)["a.py"].level == "full" and "small = 1" in result.text
    assert by_path(result)["b.py"].size == len("b = 2\n")
