"""Property: for any edit, the parsed commentable lines are exactly the hunks' new-side lines,
and a comment range is accepted only when both ends fall in the same hunk."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from repoagent.github.diff import parse_diff

# Small alphabet so old and new share lines; some look like diff headers on purpose.
LINES = st.sampled_from(
    ["a", "b", "c", "-- x", "++ y", "--- a/f", "+++ b/f", "@@ -1 +1 @@", "\\ z", ""]
)


def unified(old: list[str], new: list[str]) -> str:
    body = "\n".join(difflib.unified_diff(old, new, "a/f.py", "b/f.py", n=3, lineterm=""))
    return f"diff --git a/f.py b/f.py\n{body}\n" if body else ""


def hunk_ranges(old: list[str], new: list[str]) -> list[range]:
    """New-side line ranges of the hunks, from difflib's opcodes (independent of our parser)."""
    ranges = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(3):
        j1, j2 = group[0][3], group[-1][4]
        ranges.append(range(j1 + 1, j2 + 1))
    return ranges


@settings(max_examples=150, deadline=None)
@given(
    st.lists(LINES, max_size=30),
    st.lists(LINES, max_size=30),
    st.integers(1, 32),
    st.integers(0, 6),
)
def test_commentable_lines_are_exactly_the_hunks(
    old: list[str], new: list[str], start: int, span: int
) -> None:
    lines = parse_diff(unified(old, new))
    expected = hunk_ranges(old, new) if old != new else []
    got = lines.lines("f.py")
    assert got == {n for r in expected for n in r}
    end = start + span
    same_hunk = any(start in r and end in r for r in expected)
    assert lines.can_comment("f.py", start, end) is same_hunk
