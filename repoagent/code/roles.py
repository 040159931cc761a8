"""What a file is for (source, test, docs, config, other), from its path alone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from repoagent.code.languages import language_for_path
from repoagent.code.symbols import split_identifier

ROLE_WEIGHTS = {"source": 1.0, "test": 0.7, "docs": 0.5, "config": 0.4, "other": 0.35}
"""How much each role is worth before any task signal: source > tests > docs > config."""

_TEST_DIRS = {"test", "tests", "spec", "specs", "__tests__", "testdata", "e2e"}
_TEST_NAME = re.compile(
    r"(^test_.*|.*_test\.\w+$|.*\.(test|spec)\.\w+$|.*Tests?\.(java|cs|kt|swift|php)$|.*_spec\.rb$|^conftest\.py$)"
)
_DOC_SUFFIXES = {".md", ".rst", ".txt", ".adoc", ".org", ".markdown", ".ipynb"}
_DOC_DIRS = {"doc", "docs", "documentation", "examples", "example"}
_CONFIG_SUFFIXES = {".toml", ".yaml", ".yml", ".json", ".ini", ".cfg", ".conf", ".lock", ".xml",
                    ".properties", ".env", ".editorconfig", ".gitignore", ".gitattributes"}  # fmt: skip
_CONFIG_NAMES = {"Dockerfile", "Makefile", "setup.py", "setup.cfg", "MANIFEST.in", "tox.ini",
                 "noxfile.py", "CMakeLists.txt", "Cargo.toml", "go.mod", "go.sum", "package.json"}  # fmt: skip


def file_role(path: str) -> str:
    """``source``, ``test``, ``docs``, ``config`` or ``other``."""
    p = PurePosixPath(path)
    dirs = {part.lower() for part in p.parts[:-1]}
    if p.name in _CONFIG_NAMES or p.parts[0] in (".github", ".circleci", ".gitlab"):
        return "config"
    if dirs & _TEST_DIRS or _TEST_NAME.match(p.name):
        return "test"
    if p.suffix.lower() in _DOC_SUFFIXES or dirs & _DOC_DIRS:
        return "docs"
    if p.suffix.lower() in _CONFIG_SUFFIXES or p.name.startswith("."):
        return "config"
    if language_for_path(path):
        return "source"
    return "other"


def path_terms(path: str) -> list[str]:
    """Lexical terms of a path: each directory and the file stem, split like identifiers."""
    p = PurePosixPath(path)
    terms: list[str] = []
    for part in (*p.parts[:-1], p.stem):
        lower = part.lower()
        terms.append(lower)
        terms.extend(t for t in split_identifier(part) if t != lower)
    return terms


_TS_SOURCE = re.compile(r"\.(ts|tsx|mts|cts)$")
_DECLARATION = re.compile(r"\.d\.(ts|mts|cts)$")
_COMPILED = re.compile(r"(\.d\.(ts|mts|cts)|\.(js|cjs|mjs|jsx))$")
_OUTPUT_ROOTS = frozenset(
    [
        "src",
        "lib",
        "source",
        "sources",
        "ts",
        "dist",
        "build",
        "out",
        "output",
        "esm",
        "cjs",
        "es",
        "umd",
        "types",
        "typings",
        "modern",
        "legacy",
        "module",
        "commonjs",
        "esnext",
        "es5",
        "es6",
        "es2015",
        "es2017",
        "es2020",
        "browser",
        "node",
        "_esm",
        "_cjs",
        "_types",
        "mjs",
    ]
)


_BUILD_DIRS = frozenset(
    ["dist", "build", "out", "output", "esm", "cjs", "umd", "modern", "legacy", "_esm", "_cjs"]
)
#: A bundler's chunk: ``hydration-DArUEfp7.d.ts`` (rollup's 8-character hash), not ``user-Settings.js``.
_CHUNK = re.compile(r"-([A-Za-z0-9_-]{8})(\.d)?\.[cm]?[jt]sx?$")


def _is_chunk(path: str) -> bool:
    """A hashed bundle chunk in a build directory."""
    match = _CHUNK.search(path)
    if match is None or not _BUILD_DIRS.intersection(path.split("/")[:-1]):
        return False
    chunk = match.group(1)
    return any(c.isupper() for c in chunk[1:]) or (
        any(c.isdigit() for c in chunk) and any(c.isalpha() for c in chunk)
    )


_CJS_COPY = {".cjs": (".js", ".mjs"), ".d.cts": (".d.ts", ".d.mts")}


def _dual_copy(path: str, present: set[str]) -> bool:
    """A ``.cjs``/``.d.cts`` file whose ESM twin (``.js``/``.d.ts``) sits next to it."""
    for suffix, twins in _CJS_COPY.items():
        if path.endswith(suffix):
            stem = path[: -len(suffix)]
            return any(stem + twin in present for twin in twins)
    return False


def _module_key(path: str, suffix: re.Pattern[str]) -> str:
    """``path`` without its extension and without the leading source or build directories
    (``src/v3/types.ts`` and ``build/modern/v3/types.d.ts`` are both ``v3/types``)."""
    parts = suffix.sub("", path).split("/")
    while len(parts) > 1 and parts[0] in _OUTPUT_ROOTS:
        parts.pop(0)
    return "/".join(parts)


def compiled_outputs(paths: Iterable[str]) -> set[str]:
    """The JavaScript and declaration files compiled from a TypeScript source in ``paths``
    (zod's ``v3/types.js``, ``.cjs``, ``.d.ts`` and ``.d.cts`` of ``src/v3/types.ts``;
    ``build/modern/query.js`` of ``src/query.ts``), hashed bundle chunks in build
    directories (``build/legacy/hydration-DArUEfp7.d.ts``), and the CommonJS copies of a
    dual-format package (date-fns' ``getDate.cjs`` and ``getDate.d.cts`` next to
    ``getDate.js`` and ``getDate.d.ts``)."""
    paths = list(paths)
    present = set(paths)
    chunks = {p for p in paths if _is_chunk(p) or _dual_copy(p, present)}
    sources = {
        _module_key(p, _TS_SOURCE)
        for p in paths
        if _TS_SOURCE.search(p) and not _DECLARATION.search(p)
    }
    if not sources:
        return chunks
    return chunks | {
        p for p in paths if _COMPILED.search(p) and _module_key(p, _COMPILED) in sources
    }
