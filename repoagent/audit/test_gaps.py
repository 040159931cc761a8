"""Source files changed without a matching test change.

A changed test file "matches" a source file when its name contains the source file's stem
(``test_parser.py``, ``parser_test.go``, ``parser.spec.ts``, ``ParserTest.java`` all match
``parser``); the heuristic is stated in the report so the reader can judge it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pydantic import BaseModel

from repoagent.audit.history import FileChange

SOURCE_SUFFIXES = frozenset(
    [
        ".py",
        ".pyi",
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".go",
        ".rs",
        ".java",
        ".kt",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".cxx",
        ".hpp",
        ".cs",
        ".rb",
        ".php",
        ".swift",
        ".scala",
        ".sh",
        ".bash",
    ]
)
_TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__", "spec", "specs", "testdata"})
_TEST_NAME = re.compile(
    r"(^test_.*|.*_test\.\w+$|.*\.(test|spec)\.\w+$|.*(Test|Tests|Spec)\.\w+$|^conftest\.py$)"
)


class TestGap(BaseModel):
    """A source file that changed while no matching test changed."""

    __test__ = False  # not a pytest class, despite the name

    path: str
    status: str
    added: int
    removed: int


def is_test_file(path: str) -> bool:
    """True for files that look like tests by directory or name."""
    p = PurePosixPath(path)
    return bool(_TEST_DIRS & {part.lower() for part in p.parts[:-1]}) or bool(
        _TEST_NAME.match(p.name)
    )


def is_source_file(path: str) -> bool:
    """True for code files (by extension) that are not tests."""
    return PurePosixPath(path).suffix.lower() in SOURCE_SUFFIXES and not is_test_file(path)


def _stem(path: str) -> str:
    return PurePosixPath(path).stem.lower().removesuffix(".d")


def untested_changes(files: list[FileChange]) -> list[TestGap]:
    """Changed (not deleted) source files whose stem no changed test file mentions."""
    test_names = [PurePosixPath(f.path).name.lower() for f in files if is_test_file(f.path)]
    gaps = []
    for change in files:
        if change.status == "D" or not is_source_file(change.path):
            continue
        stem = _stem(change.path)
        if stem in {"__init__", "__main__", "index", "mod", "main"}:
            stem = PurePosixPath(change.path).parent.name.lower() or stem
        if not any(stem and stem in name for name in test_names):
            gaps.append(
                TestGap(
                    path=change.path,
                    status=change.status,
                    added=change.added,
                    removed=change.removed,
                )
            )
    return gaps
