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
UMD = (
    "(function (global, factory) {\n  factory(global);\n})(this, function (exports) {\n"
    + BODY
    + "});\n"
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
            "src/small.js": "var __defProp = Object.defineProperty;\nexport const a = 1;\n",
        }
    )
    entries = by_path(pack(repo))
    for path in ("cdn.js", "dist/umd.js", "dist/index.mjs"):
        assert (entries[path].level, entries[path].reason) == (None, "generated")
    assert entries["src/big.js"].level == "full"
    assert entries["src/small.js"].level == "full"
    again = by_path(pack(repo, include=("cdn.js",)))
    assert again["cdn.js"].level == "full"
