"""Model-written (or repository) text with terminal escapes, BEL and bidi overrides: a Markdown
or terminal report printed to a terminal must not carry them (a model once set the window title)."""

from __future__ import annotations

import pytest

from repoagent.findings.model import Finding, Report
from repoagent.report import render_report

NASTY = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \u202eevil\u202c"


def nasty_report() -> Report:
    finding = Finding(
        path="src/app.py",
        quote=f"x = 1  # {NASTY}",
        severity="high",
        category="security",
        title=f"title {NASTY}",
        explanation=f"explanation {NASTY} `code {NASTY}`",
        start_line=3,
        end_line=3,
    ).with_fingerprint()
    return Report(repository="demo", revision="abc", findings=[finding], notes=[f"note {NASTY}"])


@pytest.mark.parametrize("fmt", ["markdown", "terminal"])
def test_no_control_or_bidi_character_reaches_the_text(fmt: str) -> None:
    text = render_report(nasty_report(), fmt)
    for bad in ("\x1b", "\x07", "\u202e", "\u202c"):
        assert bad not in text
    assert "RED" in text and "pwned" in text and "evil" in text
