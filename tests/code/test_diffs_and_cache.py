"""Diff line mapping, and warm runs that parse nothing already seen."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.code import SymbolIndex, outline_file
from repoagent.code.diffs import changed_lines
from repoagent.code.lexical import LexicalIndex
from repoagent.code.parsing import parse_count
from repoagent.pack import PackOptions, pack_repository

DIFF = "\n".join(
    [
        "diff --git a/pkg/a.py b/pkg/a.py",
        "index 1111111..2222222 100644",
        "--- a/pkg/a.py",
        "+++ b/pkg/a.py",
        "@@ -1,4 +1,5 @@",
        " def parse(text):",
        "-    return text.split()",
        "+    words = text.split()",
        "+    return words",
        " ",
        " ",
        "diff --git a/gone.py b/gone.py",
        "deleted file mode 100644",
        "--- a/gone.py",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-x = 1",
        "@@ -10,2 +11,3 @@ def other():",
    ]
)


def test_changed_lines_are_new_side_line_numbers() -> None:
    assert changed_lines(DIFF) == {"pkg/a.py": {2, 3}}


def test_outlines_are_cached_by_content() -> None:
    text = "def f(x):\n    return x\n" * 3
    first = outline_file("m.py", text)
    before = parse_count()
    assert outline_file("other/name.py", text) == first
    assert parse_count() == before


def test_a_warm_budgeted_pack_parses_no_file(make_repo: Callable[..., git.Repo]) -> None:
    files = {
        f"pkg/m{i}.py": f"def f{i}(x):\n" + "    x += 1\n" * 60 + "    return x\n"
        for i in range(30)
    }
    repo = make_repo(files)
    options = PackOptions(path=str(repo.working_tree_dir), budget=3000, query="f3 returns x")
    cold = pack_repository(options)
    before = parse_count()
    warm = pack_repository(options)
    assert parse_count() == before
    assert warm.text == cold.text
    assert any(f.level == "outline" for f in warm.files)
    # The ranking's lexical records were cached by the cold pack: nothing is extracted again.
    assert LexicalIndex.from_texts(files).extracted_files == 0


def test_indexing_caches_outlines_from_the_same_parse(make_repo: Callable[..., git.Repo]) -> None:
    text = "class Shape:\n    def area(self):\n        return 0\n"
    repo = make_repo({"shape.py": text, "notes.txt": "plain\n"})
    SymbolIndex.build(repo.working_tree_dir)
    before = parse_count()
    outline = outline_file("shape.py", text)
    assert parse_count() == before
    assert outline is not None and "1│class Shape:" in outline


def test_cached_outlines_follow_a_change_of_the_code_that_makes_them(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    from pathlib import Path

    from repoagent.code import tags
    from repoagent.code.outline import outline_params

    before = outline_params("python")
    installed = Path(tags.__file__).parent
    for name in ("languages", "parsing", "tags", "outline", "symbols"):
        shutil.copy(installed / f"{name}.py", tmp_path / f"{name}.py")
    with (tmp_path / "outline.py").open("a") as source:
        source.write("\n# the next release renders outlines differently\n")
    monkeypatch.setattr(tags, "__file__", str(tmp_path / "tags.py"))
    tags.analysis_fingerprint.cache_clear()
    try:
        assert outline_params("python") != before
    finally:
        monkeypatch.undo()
        tags.analysis_fingerprint.cache_clear()
    assert outline_params("python") == before
