"""A suggestion block carries the verified line exactly, format characters included: a zero-width
non-joiner in a string literal is code (GitHub renders the comment; no terminal ever sees it)."""

from __future__ import annotations

from repoagent.findings.model import Finding, Fix
from repoagent.github.payload import review_comment

SOURCE = 'def persian_words(parts):\n    return "\u200c".join(parts[1:])\n'
FIXED = '    return "\u200c".join(parts)'


def test_a_suggestion_keeps_a_zero_width_non_joiner() -> None:
    finding = Finding(
        path="fa.py",
        start_line=2,
        end_line=2,
        quote='    return "\u200c".join(parts[1:])',
        severity="high",
        category="correctness",
        title="drops the first word",
        explanation="the slice starts at 1",
        fix=Fix(replacement=FIXED, status="verified"),
    ).with_fingerprint()
    body = review_comment(finding, lambda path: SOURCE)["body"]
    suggestion = body.split("```suggestion\n", 1)[1].split("```", 1)[0]
    assert suggestion == FIXED + "\n"
