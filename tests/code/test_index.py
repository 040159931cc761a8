"""SymbolIndex over real git repositories: answers, blob-SHA caching, bad input."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.cache import BlobCache
from repoagent.code import SymbolIndex
from tests.conftest import commit_files

FILES = {
    "pkg/a.py": "def parse(text):\n    return text.split()\n\n\nclass Parser:\n    def run(self):\n        return parse('x')\n",
    "pkg/b.py": "from pkg.a import parse\n\n\ndef main():\n    return parse('y')\n",
    "web/app.ts": "import { parse } from './util';\nexport function start(): void {\n  parse('z');\n}\n",
    "web/util.ts": "export function parse(s: string): string[] {\n  return s.split(' ');\n}\n",
    "cmd/main.go": "package main\n\nfunc main() {\n\tRun()\n}\n\nfunc Run() {}\n",
    "README.md": "# Demo\n",
    "logo.py": b"\x89PNG\r\n\x1a\n\x00\x00binary",
}


def test_definitions_references_and_defined_in(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo(FILES)
    index = SymbolIndex.build(repo.working_tree_dir)
    assert [(d.path, d.line, d.kind) for d in index.definitions("parse")] == [
        ("pkg/a.py", 1, "function"),
        ("web/util.ts", 1, "function"),
    ]
    assert index.definitions("Parser.run")[0].signature == "def run(self):"
    uses = {(r.path, r.line) for r in index.references("parse")}
    assert {("pkg/a.py", 7), ("pkg/b.py", 1), ("pkg/b.py", 5), ("web/app.ts", 3)} <= uses
    assert [d.name for d in index.defined_in("cmd/main.go")] == ["main", "Run"]
    assert index.skipped() == {"logo.py": "binary"}
    assert index.revision == repo.head.commit.hexsha


def test_warm_build_parses_nothing_unchanged(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo(FILES)
    cache = BlobCache()
    cold = SymbolIndex.build(repo.working_tree_dir, cache=cache)
    assert cold.parsed_files == len(FILES)
    warm = SymbolIndex.build(repo.working_tree_dir, cache=cache)
    assert (warm.parsed_files, warm.cached_files) == (0, len(FILES))
    assert warm.records == cold.records

    commit_files(repo, {"pkg/b.py": FILES["pkg/b.py"] + "\n\ndef extra():\n    pass\n"}, "extra")
    next_rev = SymbolIndex.build(repo.working_tree_dir, cache=BlobCache())
    assert next_rev.parsed_files == 1
    assert next_rev.definitions("extra")[0].path == "pkg/b.py"
    # The old revision still reads from git objects, not the work tree.
    old = SymbolIndex.build(repo.working_tree_dir, rev="HEAD~1")
    assert old.definitions("extra") == [] and old.parsed_files == 0


def test_same_blob_under_another_language_is_parsed_again() -> None:
    index = SymbolIndex.from_texts(
        {"x.py": "def f():\n    pass\n", "x.txt": "def f():\n    pass\n"}
    )
    assert index.parsed_files == 2
    assert [d.path for d in index.definitions("f")] == ["x.py"]


def test_worktree_index_sees_uncommitted_changes(make_repo: Callable[..., git.Repo]) -> None:
    repo = make_repo(FILES)
    root = repo.working_tree_dir
    with open(f"{root}/pkg/new.py", "w", encoding="utf-8") as handle:
        handle.write("def fresh():\n    return parse('w')\n")
    index = SymbolIndex.build(root, worktree=True)
    assert index.definitions("fresh")[0].path == "pkg/new.py"
    assert SymbolIndex.build(root).definitions("fresh") == []
