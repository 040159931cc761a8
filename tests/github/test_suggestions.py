"""Suggestion blocks carry exactly the verified fix for the commented lines, or nothing."""

from __future__ import annotations

from repoagent.findings.fixes import unified_diff
from repoagent.findings.model import Finding, Fix
from repoagent.github.suggestions import suggestion_lines

TEXT = "def f(items):\n    total = 0\n    for i in range(len(items) + 1):\n        total += items[i]\n    return total\n"


def reader(path: str) -> str | None:
    return TEXT if path == "f.py" else None


def finding(
    quote: str,
    line: int,
    start_col: int,
    end_col: int,
    replacement: str,
    status: str = "applies",
    end_line: int | None = None,
) -> Finding:
    return Finding(
        path="f.py",
        quote=quote,
        title="t",
        start_line=line,
        end_line=end_line or line,
        start_column=start_col,
        end_column=end_col,
        fix=Fix(replacement=replacement, status=status),
    )


def test_partial_line_quote_gives_the_whole_fixed_line() -> None:
    f = finding("len(items) + 1", 3, 20, 34, "len(items)")
    assert suggestion_lines(f, reader) == "    for i in range(len(items)):"


def test_unindented_replacement_is_reindented_like_the_file() -> None:
    line = "    for i in range(len(items) + 1):"
    # The model quoted without indentation; the verifier anchored it at column 5.
    f = finding(
        "for i in range(len(items) + 1):", 3, 5, len(line) + 1, "for i in range(len(items)):"
    )
    assert suggestion_lines(f, reader) == "    for i in range(len(items)):"


def test_the_verified_candidate_is_the_one_suggested() -> None:
    line = "        total += items[i]"
    f = finding("total += items[i]", 4, 9, len(line) + 1, "total += items[i] * 2")
    after = TEXT.replace("        total += items[i]", "        total += items[i] * 2")
    f.fix.diff = unified_diff("f.py", TEXT, after)  # type: ignore[union-attr]
    assert suggestion_lines(f, reader) == "        total += items[i] * 2"


def test_no_suggestion_for_unproven_fixes_or_unknown_files() -> None:
    line = "        total += items[i]"
    for status in ("rejected", "unchecked"):
        assert suggestion_lines(finding(line, 4, 1, len(line) + 1, "x", status), reader) is None
    f = finding(line, 4, 1, len(line) + 1, "        total += 1")
    assert suggestion_lines(f.model_copy(update={"path": "gone.py"}), reader) is None
    # A recorded diff no candidate reproduces: not offered.
    f.fix.diff = "--- a/f.py\n+++ b/f.py\n@@ -1 +1 @@\n-x\n+y\n"  # type: ignore[union-attr]
    assert suggestion_lines(f, reader) is None


def test_without_the_file_only_whole_line_quotes_are_suggested() -> None:
    assert suggestion_lines(finding("x", 2, 1, 2, "    total = 1\n"), None) == "    total = 1"
    assert suggestion_lines(finding("0", 2, 13, 14, "1"), None) is None


def test_open_columns_mean_whole_lines_not_a_glued_suggestion() -> None:
    """A report whose finding has no columns (end_column left at 1) got a suggestion with the
    replacement glued to the old line: `return x + 2    return x + 1`."""
    open_finding = Finding(
        path="f.py",
        quote="    for i in range(len(items) + 1):\n        total += items[i]",
        title="t",
        start_line=3,
        end_line=4,
        fix=Fix(
            replacement="    for i in range(len(items)):\n        total += items[i]",
            status="verified",
        ),
    )
    assert open_finding.end_column == 1  # as a hand-made or older report carries it
    assert suggestion_lines(open_finding, reader) == (
        "    for i in range(len(items)):\n        total += items[i]"
    )
