"""Acceptance findings on file selection in real npm packages (date-fns), pinned small."""

from __future__ import annotations

from tests.pack.helpers import by_path, pack

BODY = "".join(f"function helper{i}(value) {{\n  return value + {i};\n}}\n" for i in range(2500))
BABEL_CDN = (
    "(() => {\n"
    "function _createForOfIteratorHelper(r, e) {var t = r[Symbol.iterator];return t;}\n"
    + BODY
    + "})();\n"
)
UMD = (  # what rollup writes
    "(function (global, factory) {\n"
    "  typeof exports === 'object' && typeof module !== 'undefined' ? factory(exports) :\n"
    "  typeof define === 'function' && define.amd ? define(['exports'], factory) :\n"
    "  (global = typeof globalThis !== 'undefined' ? globalThis : global || self, "
    "factory(global.lib = {}));\n"
    "})(this, (function (exports) { 'use strict';\n" + BODY + "}));\n"
)
HAND_UMD = (  # the umdjs template, written by hand (URI.js' src/URI.js)
    "/*! URI.js v1.19.11 http://medialize.github.io/URI.js/ */\n"
    "(function (root, factory) {\n  'use strict';\n"
    "  if (typeof module === 'object' && module.exports) {\n    module.exports = factory();\n"
    "  } else {\n    root.URI = factory(root);\n  }\n}(this, function (root) {\n" + BODY + "}));\n"
)
ESBUILD = "var __defProp = Object.defineProperty;\nvar __export = (t, all) => {};\n" + BODY


def test_large_bundles_are_left_out_as_generated(make_repo) -> None:
    # date-fns ships cdn.js (500 KB), fp/cdn.js and locale/cdn.js: readable Babel bundles of
    # the whole library, kept in full; locale/cdn.js ranked first of 5,000 files.
    repo = make_repo(
        {
            "cdn.js": BABEL_CDN,
            "dist/umd.js": UMD,
            "dist/index.mjs": ESBUILD,
            "src/big.js": BODY,  # hand-written and large: kept
            "src/URI.js": HAND_UMD,  # hand-written UMD: kept
            "src/small.js": "var __defProp = Object.defineProperty;\nexport const a = 1;\n",
        }
    )
    entries = by_path(pack(repo))
    for path in ("cdn.js", "dist/umd.js", "dist/index.mjs"):
        assert (entries[path].level, entries[path].reason) == (None, "generated")
    for path in ("src/big.js", "src/URI.js", "src/small.js"):
        assert entries[path].level == "full", path
    again = by_path(pack(repo, include=("cdn.js",)))
    assert again["cdn.js"].level == "full"


def test_small_minified_scripts_are_left_out(make_repo) -> None:
    # preact's hooks/dist/hooks.mjs (3.6 KB in 2 lines) and jsx-runtime/dist/jsxRuntime.mjs
    # (1.6 KB) were packed in full: 2,500 tokens of one-letter names.
    minified = "var t,r,u,i,o=Object.is,f=0;" + "function y(n,t){return n>=t?n:t}" * 60 + "\n"
    repo = make_repo(
        {
            "hooks/dist/hooks.mjs": "import{options as n}from'preact';" + minified,
            "dist/app.css": ".a{color:red}" * 150 + "\n",
            "src/small.js": "export function add(a, b) {\n  return a + b;\n}\n",
            "NOTES.md": "# Notes\n\n" + "A long paragraph written on one line. " * 40 + "\n",
        }
    )
    entries = by_path(pack(repo))
    for path in ("hooks/dist/hooks.mjs", "dist/app.css"):
        assert (entries[path].level, entries[path].reason) == (None, "minified")
    assert entries["src/small.js"].level == "full"
    assert entries["NOTES.md"].level == "full"


def test_egg_info_metadata_is_generated(make_repo) -> None:
    # msgpack's sdist: msgpack.egg-info/PKG-INFO repeated the root PKG-INFO in full.
    repo = make_repo(
        {
            "PKG-INFO": "Metadata-Version: 2.1\nName: msgpack\n",
            "msgpack.egg-info/PKG-INFO": "Metadata-Version: 2.1\nName: msgpack\n",
            "msgpack.egg-info/SOURCES.txt": "msgpack/__init__.py\n",
            "src/egg-info-notes.md": "# about egg-info\n",
        }
    )
    entries = by_path(pack(repo))
    for path in ("msgpack.egg-info/PKG-INFO", "msgpack.egg-info/SOURCES.txt"):
        assert (entries[path].level, entries[path].reason) == (None, "generated")
    assert entries["PKG-INFO"].level == "full"
    assert entries["src/egg-info-notes.md"].level == "full"


def test_simple_ranking_puts_typescript_sources_before_their_compiled_copies() -> None:
    # query-core with --ranking simple and a 20,000-token budget: 36 of the 40 files shown were
    # build/ copies (7,100 tokens) and 4 were sources; the graph ranking already demoted them.
    from repoagent.pack.relevance import FocusInputs, score_files

    paths = ["src/query.ts", "src/cache.ts", "build/query.js", "build/query.d.ts", "cache.cjs"]
    scores = score_files(paths, FocusInputs())
    assert min(scores["src/query.ts"], scores["src/cache.ts"]) > max(
        scores["build/query.js"], scores["build/query.d.ts"]
    )
    assert scores["cache.cjs"] < scores["src/cache.ts"]
    focused = score_files(paths, FocusInputs(focus=["build/query.js"]))
    assert max(focused, key=focused.__getitem__) == "build/query.js"


def test_typescript_build_info_is_generated(make_repo) -> None:
    # tsc's incremental state (tsconfig.tsbuildinfo: JSON of every file's hash) is build output.
    repo = make_repo(
        {"tsconfig.tsbuildinfo": '{"program":{"fileNames":["a.ts"]}}\n', "src/a.ts": "export {};\n"}
    )
    entry = by_path(pack(repo))["tsconfig.tsbuildinfo"]
    assert (entry.level, entry.reason) == (None, "generated")


def _fn(count: int, word: str) -> str:
    return "".join(
        f"export function {word}{i}(value: string): boolean {{\n  return value.length > {i};\n}}\n"
        for i in range(count)
    )


def test_files_the_query_names_go_in_full_before_the_outline_reserve(make_repo) -> None:
    # zod, --query "In src/v4/core/regexes.ts the email regex ...; see email-regex.test.ts",
    # --budget 20000: the named test was an outline while unnamed tests matching 'rejects'
    # went in full. A named file now counts as the user's choice, like --focus.
    files = {
        "src/regexes.ts": _fn(60, "pattern"),
        "tests/email.test.ts": "import { pattern1 } from '../src/regexes';\n"
        + _fn(45, "emailCase"),
    }
    files.update({f"tests/other{k}.test.ts": _fn(8, f"rejectsDots{k}x") for k in range(14)})
    repo = make_repo(files)
    query = "The email pattern rejects dots wrongly in src/regexes.ts; see tests/email.test.ts"
    for budget in (2900, 3500):
        entries = by_path(pack(repo, budget=budget, query=query))
        assert entries["src/regexes.ts"].level == "full"
        assert entries["tests/email.test.ts"].level == "full"
