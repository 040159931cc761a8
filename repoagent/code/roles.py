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


def compiled_outputs(paths: Iterable[str]) -> set[str]:
    """The files among ``paths`` that a compiler or bundler wrote from another one there
    (``repoagent.pack.filekinds.compiled_outputs``: the rules live with the other file kinds)."""
    from repoagent.pack.filekinds import compiled_outputs as find

    return find(paths)
