"""Quotes resolve to the real lines, whatever line the model claimed."""

from __future__ import annotations

from repoagent.findings.verify import Anchor, AnchorMiss, resolve_anchor

CODE = """\
def first():
    total = 0
    return total


def second():
    total = 0
    return total
"""


def test_exact_quote_gives_lines_and_columns() -> None:
    anchor = resolve_anchor(CODE, "return total", line_hint=3)
    assert isinstance(anchor, Anchor)
    assert (anchor.start_line, anchor.end_line, anchor.start_column, anchor.end_column) == (
        3,
        3,
        5,
        17,
    )
    assert anchor.exact and anchor.matches == 2


def test_wrong_line_hint_picks_the_nearest_occurrence() -> None:
    quote = "    total = 0\n    return total"
    assert resolve_anchor(CODE, quote, line_hint=40).start_line == 7  # type: ignore[union-attr]
    assert resolve_anchor(CODE, quote, line_hint=1).start_line == 2  # type: ignore[union-attr]
    assert resolve_anchor(CODE, quote).start_line == 2  # type: ignore[union-attr]


def test_whitespace_differences_still_anchor() -> None:
    anchor = resolve_anchor(CODE, "def second():\n  total=0\n  return   total", line_hint=None)
    assert isinstance(anchor, Anchor)
    assert (anchor.start_line, anchor.end_line) == (6, 8)
    assert not anchor.exact
    assert anchor.text == "def second():\n    total = 0\n    return total"


def test_copied_line_numbers_and_fences_are_stripped() -> None:
    quote = "```python\n7 |     total = 0\n8 |     return total\n```"
    anchor = resolve_anchor(CODE, quote)
    assert isinstance(anchor, Anchor)
    assert (anchor.start_line, anchor.end_line) == (7, 8)


def test_crlf_files_anchor() -> None:
    anchor = resolve_anchor(CODE.replace("\n", "\r\n"), "total = 0\n    return total", line_hint=7)
    assert isinstance(anchor, Anchor) and (anchor.start_line, anchor.end_line) == (7, 8)


def test_misses_say_why() -> None:
    missing = resolve_anchor(CODE, "return grand_total")
    assert isinstance(missing, AnchorMiss) and "does not occur" in missing.reason
    empty = resolve_anchor(CODE, "  \n ")
    assert isinstance(empty, AnchorMiss) and "empty" in empty.reason
    long = resolve_anchor(CODE * 3, "\n".join(CODE.splitlines() * 2)[:400])
    assert isinstance(long, AnchorMiss) and "1–10 lines" in long.reason


def test_elided_quote_is_told_to_be_verbatim() -> None:
    missing = resolve_anchor(CODE, "def first():\n    ...\n    return total")
    assert isinstance(missing, AnchorMiss) and "without '...' elisions" in missing.reason


def test_overlong_quote_is_refused_quickly() -> None:
    missing = resolve_anchor(CODE, "x" * 50_000)
    assert isinstance(missing, AnchorMiss) and "characters long" in missing.reason
