"""Format characters that words and emoji are spelled with (ZWNJ in Persian, ZWJ in emoji
sequences, soft hyphens) are text: reports keep them; only terminal controls and bidi overrides
go (tests/report/test_control_characters.py)."""

from __future__ import annotations

import pytest

from repoagent.findings.model import Finding, Fix, Report
from repoagent.report import render_report
from repoagent.report.markdown import fence, without_controls

PERSIAN = "تلاش\u200cها تعریف می\u200cشود"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
CODE = 'return "\u200c".join(parts)  # soft\u00adhyphen'


def report() -> Report:
    finding = Finding(
        path="fa.py",
        quote=CODE,
        severity="high",
        category="correctness",
        title=f"{PERSIAN} {FAMILY}",
        explanation=f"{PERSIAN} `{CODE}`",
        start_line=2,
        end_line=2,
        fix=Fix(replacement=CODE, status="applies"),
    ).with_fingerprint()
    return Report(repository="demo", revision="abc", findings=[finding])


@pytest.mark.parametrize("fmt", ["markdown", "terminal"])
def test_joiners_and_soft_hyphens_reach_the_report(fmt: str) -> None:
    text = render_report(report(), fmt)
    assert PERSIAN in text and FAMILY in text and CODE in text


def test_controls_and_bidi_overrides_go_and_marks_stay() -> None:
    text = "a\x1b[2Jb\x07\u202ec\u2066d\u2069\u200fe\u200cf\tg\n"
    assert without_controls(text) == "a[2Jbcd\u200fe\u200cf\tg\n"


def test_a_fence_keeps_its_code_exactly() -> None:
    assert fence(CODE) == f"```\n{CODE}\n```"
