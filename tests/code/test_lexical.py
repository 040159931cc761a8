"""The lexical index: definitions per language, cross-file references, caching, determinism."""

from __future__ import annotations

from collections.abc import Callable

import git
import pytest

from repoagent.cache import BlobCache
from repoagent.code import rank_files
from repoagent.code.lexical import LexicalIndex
from repoagent.code.rank import lexical_documents, query_terms
from repoagent.repo import GitRepository

# language: (extension, library defining `compute_total`, a user of it, expected definitions of
# the library as (name, kind, line)). Each repository also holds two unrelated files.
LANGUAGES: dict[str, tuple[str, str, str, set[tuple[str, str, int]]]] = {
    "python": (
        "py",
        "import os\n\n\nclass Ledger:\n    def add(self, x):\n        return x\n\n\n"
        "def compute_total(items):\n    return sum(items)\n",
        "from lib import compute_total\n\n\ndef report(rows):\n    return compute_total(rows)\n",
        {("Ledger", "class", 4), ("add", "method", 5), ("compute_total", "function", 9)},
    ),
    "javascript": (
        "js",
        "export class Ledger {\n  add(x) {\n    return x;\n  }\n}\n\n"
        "export function compute_total(items) {\n  return items.length;\n}\n",
        "import { compute_total } from './lib.js';\n\nfunction report(rows) {\n"
        "  return compute_total(rows);\n}\n",
        {("Ledger", "class", 1), ("add", "method", 2), ("compute_total", "function", 7)},
    ),
    "typescript": (
        "ts",
        "export interface Totals {\n  sum: number;\n}\n\nexport type Row = number;\n\n"
        "export function compute_total(items: Row[]): number {\n  return items.length;\n}\n",
        "import { compute_total } from './lib';\n\nexport function report(rows: number[]) {\n"
        "  return compute_total(rows);\n}\n",
        {("Totals", "interface", 1), ("Row", "type", 5), ("compute_total", "function", 7)},
    ),
    "tsx": (
        "tsx",
        "export class Ledger {\n  render(): number {\n    return 1;\n  }\n}\n\n"
        "export const compute_total = (items: number[]) => items.length;\n",
        "import { compute_total } from './lib';\n\nexport function Report() {\n"
        "  return <div>{compute_total([])}</div>;\n}\n",
        {("Ledger", "class", 1), ("render", "method", 2), ("compute_total", "variable", 7)},
    ),
    "go": (
        "go",
        "package lib\n\ntype Ledger struct {\n\tn int\n}\n\nfunc (l *Ledger) Add(x int) int {\n"
        "\treturn x\n}\n\nfunc ComputeTotal(items []int) int {\n\treturn len(items)\n}\n",
        'package app\n\nimport "example.com/lib"\n\nfunc Report(rows []int) int {\n'
        "\treturn lib.ComputeTotal(rows)\n}\n",
        {("Ledger", "struct", 3), ("Add", "method", 7), ("ComputeTotal", "function", 11)},
    ),
    "rust": (
        "rs",
        "pub struct Ledger {\n    n: i32,\n}\n\nimpl Ledger {\n    pub fn add(&self) -> i32 {\n"
        "        self.n\n    }\n}\n\npub fn compute_total(items: &[i32]) -> i32 {\n"
        "    items.len() as i32\n}\n",
        "use crate::lib::compute_total;\n\npub fn report(rows: &[i32]) -> i32 {\n"
        "    compute_total(rows)\n}\n",
        {("Ledger", "struct", 1), ("add", "method", 6), ("compute_total", "function", 11)},
    ),
    "java": (
        "java",
        "package lib;\n\npublic class Ledger {\n    public static int computeTotal(int[] items) {\n"
        "        return items.length;\n    }\n}\n",
        "package app;\n\nimport lib.Ledger;\n\npublic class Report {\n"
        "    int run(int[] rows) {\n        return Ledger.computeTotal(rows);\n    }\n}\n",
        {("Ledger", "class", 3), ("computeTotal", "method", 4)},
    ),
    "csharp": (
        "cs",
        "namespace Lib\n{\n    public class Ledger\n    {\n"
        "        public static int ComputeTotal(int[] items)\n        {\n"
        "            return items.Length;\n        }\n    }\n}\n",
        "using Lib;\n\nnamespace App\n{\n    public class Report\n    {\n"
        "        int Run(int[] rows) { return Ledger.ComputeTotal(rows); }\n    }\n}\n",
        {("Lib", "namespace", 1), ("Ledger", "class", 3), ("ComputeTotal", "method", 5)},
    ),
    "c": (
        "c",
        '#include "lib.h"\n\nstruct ledger {\n    int n;\n};\n\n'
        "int compute_total(const int *items, int n)\n{\n    return n;\n}\n",
        '#include "lib.h"\n\nint report(const int *rows)\n{\n    return compute_total(rows, 3);\n}\n',
        {("ledger", "struct", 3), ("compute_total", "function", 7)},
    ),
    "cpp": (
        "cpp",
        "namespace lib {\n\nclass Ledger {\n public:\n  int add(int x);\n};\n\n"
        "int Ledger::add(int x) { return x; }\n\nint compute_total(int n) {\n  return n;\n}\n\n}\n",
        '#include "lib.hpp"\n\nint report(int rows) {\n  return lib::compute_total(rows);\n}\n',
        {("lib", "namespace", 1), ("Ledger", "class", 3), ("compute_total", "function", 10)},
    ),
    "ruby": (
        "rb",
        "module Lib\n  class Ledger\n    def compute_total(items)\n      items.sum\n    end\n"
        "  end\nend\n",
        "require_relative 'lib'\n\ndef report(rows)\n  Lib::Ledger.new.compute_total(rows)\nend\n",
        {("Lib", "module", 1), ("Ledger", "class", 2), ("compute_total", "method", 3)},
    ),
    "php": (
        "php",
        "<?php\nnamespace Lib;\n\nclass Ledger\n{\n    public function computeTotal($items)\n"
        "    {\n        return count($items);\n    }\n}\n",
        "<?php\nuse Lib\\Ledger;\n\nfunction report($rows)\n{\n"
        "    return (new Ledger())->computeTotal($rows);\n}\n",
        {("Ledger", "class", 4), ("computeTotal", "method", 6)},
    ),
    "bash": (
        "sh",
        '#!/bin/bash\n\ncompute_total() {\n  echo "$#"\n}\n\nfunction ledger_add {\n  :\n}\n',
        '#!/bin/bash\nsource ./lib.sh\n\nreport() {\n  compute_total "$@"\n}\n',
        {("compute_total", "function", 3), ("ledger_add", "function", 7)},
    ),
    "lua": (
        "lua",
        "local M = {}\n\nfunction M.compute_total(items)\n  return #items\nend\n\n"
        "local function helper(x)\n  return x\nend\n\nreturn M\n",
        "local lib = require('lib')\n\nlocal function report(rows)\n"
        "  return lib.compute_total(rows)\nend\n",
        {("compute_total", "method", 3), ("helper", "function", 7)},
    ),
}
UNRELATED = {
    "python": ("def paint(color):\n    return color\n", "def walk(steps):\n    return steps\n"),
}


def _unrelated(language: str, ext: str) -> dict[str, str]:
    texts = UNRELATED.get(language)
    if texts is None:  # a comment-only file of the language: it defines and uses nothing shared
        marker = "#" if language in ("bash", "ruby") else ("--" if language == "lua" else "//")
        texts = (f"{marker} paint the colors\n", f"{marker} walk the steps\n")
    return {f"colors.{ext}": texts[0], f"steps.{ext}": texts[1]}


def _texts(repo: git.Repo) -> tuple[dict[str, str], dict[str, str]]:
    """Every file's text and blob SHA at HEAD, read from git objects as the packer does."""
    handle = GitRepository(str(repo.working_tree_dir))
    entries = handle.list_files(handle.resolve("HEAD"))
    shas = {e.path: e.sha for e in entries if e.sha}
    by_sha = {sha: data for sha, data in handle.read_blobs(list(set(shas.values())))}
    texts = {path: by_sha[sha].decode("utf-8", "replace") for path, sha in shas.items()}
    return texts, shas


def _index(make_repo: Callable[..., git.Repo], files: dict[str, str]) -> LexicalIndex:
    texts, shas = _texts(make_repo(files))
    return LexicalIndex.from_texts(texts, shas)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_definitions_are_found_with_their_lines(make_repo, language: str) -> None:  # type: ignore[no-untyped-def]
    ext, lib, app, expected = LANGUAGES[language]
    index = _index(make_repo, {f"lib.{ext}": lib, f"app.{ext}": app})
    assert index.language(f"lib.{ext}") == language
    found = {(d.name, d.kind, d.line) for d in index.defined_in(f"lib.{ext}")}
    assert expected <= found
    for d in index.defined_in(f"lib.{ext}"):
        assert d.line <= d.end_line <= lib.count("\n")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_user_and_the_file_it_uses_rank_each_other_first(make_repo, language: str) -> None:  # type: ignore[no-untyped-def]
    ext, lib, app, _ = LANGUAGES[language]
    files = {f"lib.{ext}": lib, f"app.{ext}": app, **_unrelated(language, ext)}
    index = _index(make_repo, files)
    used = [r.path for r in rank_files(index, focus=[f"app.{ext}"])]
    assert used[:2] == [f"app.{ext}", f"lib.{ext}"]  # callee of the focus
    users = [r.path for r in rank_files(index, focus=[f"lib.{ext}"])]
    assert users[:2] == [f"lib.{ext}", f"app.{ext}"]  # caller of the focus


def test_import_lines_link_a_module_by_its_file_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "pkg/__init__.py": "",
        "pkg/settings.py": "TIMEOUT = 3\n",
        "pkg/client.py": "from pkg import settings\n\n\ndef get():\n    return settings\n",
        "pkg/colors.py": "def paint():\n    return 1\n",
    }
    index = _index(make_repo, files)
    assert index.reference_counts("pkg/client.py")[("settings", "import")] == 1
    order = [r.path for r in rank_files(index, focus=["pkg/client.py"])]
    assert order.index("pkg/settings.py") < order.index("pkg/colors.py")


def test_a_warm_build_extracts_nothing(make_repo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, lib, app, _ = LANGUAGES["python"]
    texts, shas = _texts(make_repo({"lib.py": lib, "app.py": app, "docs/guide.md": "# Guide\n"}))
    cache = BlobCache(tmp_path / "cache.sqlite")
    cold = LexicalIndex.from_texts(texts, shas, cache)
    assert (cold.extracted_files, cold.cached_files) == (3, 0)
    warm = LexicalIndex.from_texts(texts, shas, cache)
    assert (warm.extracted_files, warm.cached_files) == (0, 3)
    assert [warm.defined_in(p) for p in warm.paths] == [cold.defined_in(p) for p in cold.paths]
    # Without SHAs the index hashes the texts itself: the same records, still cached.
    assert LexicalIndex.from_texts(texts, cache=cache).extracted_files == 0


def test_work_meant_for_an_extraction_runs_only_when_there_is_one(
    make_repo, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # A budgeted pack loads the tokenizer while the index is extracted; a warm index must not
    # load it (a warm pack may need no count at all).
    monkeypatch.setattr("repoagent.code.lexical.PARALLEL_CHARS", 1)
    _, lib, app, _ = LANGUAGES["python"]
    texts, shas = _texts(make_repo({"lib.py": lib, "app.py": app}))
    cache = BlobCache(tmp_path / "cache.sqlite")
    calls: list[str] = []
    cold = LexicalIndex.from_texts(texts, shas, cache, meanwhile=lambda: calls.append("cold"))
    warm = LexicalIndex.from_texts(texts, shas, cache, meanwhile=lambda: calls.append("warm"))
    assert calls == ["cold"]
    assert [warm.defined_in(p) for p in warm.paths] == [cold.defined_in(p) for p in cold.paths]


def test_cold_and_warm_indexes_rank_identically(make_repo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = {f"pkg/m{i}.py": f"from pkg.m{i + 1} import step{i + 1}\n\n\ndef step{i}(x):\n"
             f"    return step{i + 1}(x) + {i}\n" for i in range(12)}  # fmt: skip
    files["pkg/m12.py"] = "def step12(x):\n    '''Parse the unicode header.'''\n    return x\n"
    texts, shas = _texts(make_repo(files))
    cache = BlobCache(tmp_path / "cache.sqlite")
    runs = []
    for _ in range(2):
        index = LexicalIndex.from_texts(texts, shas, cache)
        runs.append(rank_files(index, focus=["pkg/m3.py"], query="unicode header parsing"))
    assert index.extracted_files == 0
    assert runs[0] == runs[1]
    assert runs[0][0].path == "pkg/m3.py"


def test_query_documents_count_the_same_terms_as_the_full_documents(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "http/headers.py": "class ResponseHeaders:\n    def decode_header(self, raw):\n"
        "        return raw.decode('latin-1')  # unicode headers\n",
        "http/client.py": "from http.headers import ResponseHeaders\n\n\ndef fetch(url):\n"
        "    return ResponseHeaders().decode_header(url)\n",
        "README.md": "A small library. Unicode everywhere.\n",
    }
    index = _index(make_repo, files)
    terms = query_terms("Fix handling of unicode in response headers, decode_header")
    docs, lengths = index.query_documents(index.paths, terms)
    full = lexical_documents(index, index.paths)
    for path in index.paths:
        assert docs[path] == {t: full[path][t] for t in terms if full[path].get(t)}
        assert lengths[path] > 0
    ranked = rank_files(index, query="Fix handling of unicode in response headers")
    assert ranked[0].path == "http/headers.py"


def test_the_file_graph_is_cached_per_tree(make_repo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from repoagent.code.graph import build_file_graph

    files = {f"m{i}.py": f"from m{i + 1} import f{i + 1}\n\n\ndef f{i}():\n    return f{i + 1}()\n"
             for i in range(5)}  # fmt: skip
    texts, shas = _texts(make_repo(files))
    cache = BlobCache(tmp_path / "cache.sqlite")
    cold = LexicalIndex.from_texts(texts, shas, cache)
    built = cold.file_graph(set(cold.paths))
    assert built == build_file_graph(cold, set(cold.paths))
    assert built["m0.py"] == {"m1.py": pytest.approx(built["m0.py"]["m1.py"])}
    warm = LexicalIndex.from_texts(texts, shas, cache)
    assert warm.file_graph(set(warm.paths)) == built
    # Another tree (one file changed) is a new graph, not the cached one.
    changed = dict(texts, **{"m4.py": "def f4():\n    return 0\n"})
    other = LexicalIndex.from_texts(changed, cache=cache)
    assert other.file_graph(set(other.paths)) == build_file_graph(other, set(other.paths))


@pytest.mark.parametrize("path", ["bundle.min.js", "gen.go", "flat.py", "blob.c", "x.ts"])
def test_a_minified_one_line_file_is_indexed(path: str) -> None:
    """Each keyword's line start is found by scanning back only to the previous keyword: one
    long line used to cost a scan of the whole line per ``var`` (minutes for a bundle)."""
    from repoagent.code.lexical_extract import extract_file

    line = "var a=function(b){return b};import os; from a import b; def f(): x=1;" * 25_000
    record = extract_file(path, line)
    assert record["size"] > 100_000
    assert len(record.get("defs", ())) <= 2  # keywords deep inside one line define nothing


@pytest.mark.parametrize(
    "text",
    [
        "step(step_two, step) + _step + step2 + 2step + xstep.step",
        "é step ünïcode_step step\u00e9 \ud800step step",
        "step",
        "",
    ],
)
def test_a_word_is_counted_as_the_record_splits_identifiers(text: str) -> None:
    """``references`` counts a name in the text only as a whole identifier (the record keeps
    distinct identifiers, not counts)."""
    from repoagent.code.lexical_extract import count_word, extract_file

    words = text.encode("utf-8", "replace").decode("utf-8").replace("\ud800", "?")
    record = extract_file("a.py", text)
    expected = "".join(c if c.isascii() and (c.isalnum() or c == "_") else " " for c in words)
    assert count_word(text, "step") == expected.split().count("step")
    assert ("step" in record["names"].split()) == (count_word(text, "step") > 0)


def test_a_file_using_a_name_beyond_its_definition_references_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "a.py": "def parse(x):\n    return x\n",
        "b.py": "def parse(x):\n    return parse(x[1:])\n",
        "c.py": "from a import parse\n\n\ndef run():\n    return parse(1)\n",
    }
    index = _index(make_repo, files)
    assert {r.path for r in index.references("parse")} == {"b.py", "c.py"}
    assert index.reference_counts("c.py")[("parse", "name")] == 1
    assert ("parse", "name") not in index.reference_counts("b.py")  # its own definition


def test_indexing_and_ranking_leave_the_garbage_collector_as_they_found_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    import gc

    index = _index(make_repo, {"a.py": "def f():\n    return 1\n", "b.py": "from a import f\n"})
    assert gc.isenabled()
    gc.disable()
    try:
        rank_files(index, query="f")
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert rank_files(index, focus=["b.py"])[1].path == "a.py"
    assert gc.isenabled()
