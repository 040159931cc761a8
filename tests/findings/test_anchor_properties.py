"""Property: any 1–10 line slice of a file anchors back to exactly where it was cut from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from repoagent.findings.anchor import clean_quote
from repoagent.findings.verify import Anchor, resolve_anchor

LINE = st.text(alphabet="abc xyz=()_:\t", min_size=0, max_size=30)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(LINE, min_size=1, max_size=40), data=st.data())
def test_a_slice_anchors_to_its_own_lines(lines: list[str], data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(lines) - 1))
    end = data.draw(st.integers(start, min(len(lines), start + 10) - 1))
    quote = "\n".join(lines[start : end + 1])
    if not quote.strip():
        return
    text = "\n".join(lines) + "\n"
    anchor = resolve_anchor(text, quote, line_hint=start + 1)
    assert isinstance(anchor, Anchor)
    cleaned = clean_quote(quote).text
    assert anchor.exact and anchor.text == cleaned
    # The slice may occur elsewhere too; the hint picks one at least as close as the original.
    skipped = next(i for i, line in enumerate(lines[start:]) if line.strip())
    hint = start + 1
    distance = (
        0
        if anchor.start_line <= hint <= anchor.end_line
        else min(abs(anchor.start_line - hint), abs(anchor.end_line - hint))
    )
    assert distance <= skipped
