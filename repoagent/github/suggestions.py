"""GitHub ``suggestion`` blocks that apply exactly as verified.

A suggestion replaces whole lines (the comment's ``start_line``..``line``). The verifier may have
re-indented the model's replacement, or replaced only part of a line, so the suggestion is not the
raw replacement text: it is the fixed file's text for those lines, taken from the candidate whose
diff is the one the verifier proved. When the fix changes anything outside the commented lines,
there is no suggestion (a plain diff block is shown instead).
"""

from __future__ import annotations

from collections.abc import Callable

from repoagent.findings.model import Finding
from repoagent.report.summary import PROVEN_FIX_STATUSES

#: Reads a file of the reviewed (head) revision; None when it does not exist.
FileReader = Callable[[str], str | None]


def _fixed_text(text: str, finding: Finding) -> str | None:
    from repoagent.findings.fixes import FixRejected, fix_candidates, unified_diff

    assert finding.fix is not None
    try:
        candidates = fix_candidates(text, finding)
    except FixRejected:
        return None
    if not finding.fix.diff:
        return candidates[0] if candidates else None
    for candidate in candidates:
        if unified_diff(finding.path, text, candidate) == finding.fix.diff:
            return candidate
    return None


def suggestion_lines(finding: Finding, read_file: FileReader | None) -> str | None:
    """The new text of lines ``start_line``..``end_line`` for a proven fix, or None."""
    fix = finding.fix
    if fix is None or fix.status not in PROVEN_FIX_STATUSES or finding.start_line < 1:
        return None
    end = max(finding.end_line, finding.start_line)
    if read_file is None:
        # Without the file, only a whole-line quote can be replaced by the text as given.
        return fix.replacement.strip("\n") if finding.start_column <= 1 else None
    text = read_file(finding.path)
    if text is None:
        return None
    after = _fixed_text(text, finding)
    if after is None:
        return None
    before_lines, after_lines = text.splitlines(), after.splitlines()
    keep_tail = len(before_lines) - end
    if (
        keep_tail < 0
        or before_lines[: finding.start_line - 1] != after_lines[: finding.start_line - 1]
    ):
        return None
    tail_start = len(after_lines) - keep_tail
    if tail_start < finding.start_line - 1 or before_lines[end:] != after_lines[tail_start:]:
        return None  # the fix reaches beyond the commented lines
    return "\n".join(after_lines[finding.start_line - 1 : tail_start])
