"""Markdown, JSON, terminal and HTML views of the same report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import jsonschema
import pytest

from repoagent.errors import ConfigError
from repoagent.findings.model import CoverageFile, Finding, Report
from repoagent.report import FORMATS, SCHEMA_VERSION, render_report, report_schema

from .conftest import make_report

HOSTILE = '<script src="https://evil.example/x.js"></script><!-- repoagent:summary --> @octocat [red]x[/red] \x1b[31m'


def test_every_format_renders(report: Report) -> None:
    for fmt in FORMATS:
        text = render_report(report, fmt)
        assert "Off-by-one" in text, fmt


def test_unknown_format_is_a_config_error(report: Report) -> None:
    with pytest.raises(ConfigError, match="unknown report format"):
        render_report(report, "pdf")


def test_json_validates_against_schema_and_has_version(report: Report) -> None:
    doc = json.loads(render_report(report, "json"))
    jsonschema.Draft202012Validator.check_schema(report_schema())
    jsonschema.validate(doc, report_schema(), cls=jsonschema.Draft202012Validator)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert [f["severity"] for f in doc["findings"]] == ["critical", "high", "medium", "info"]
    assert doc["summary"]["complete"] is False  # vendor/big.js left out for budget
    assert doc["coverage"]["left_out_by_reason"] == {"binary": 1, "budget": 1}
    assert doc["usage"]["total_cost"] == pytest.approx(0.0174)


def test_empty_report_json_validates() -> None:
    doc = json.loads(render_report(Report(repository="r", revision="abc"), "json"))
    jsonschema.validate(doc, report_schema(), cls=jsonschema.Draft202012Validator)
    assert doc["summary"]["verdict"] == "No issues found."


def test_no_issues_found_only_when_nothing_left_out_for_budget() -> None:
    complete = make_report(
        findings=[], unlocated=[], coverage=[CoverageFile(path="a.py", level="full")]
    )
    assert "No issues found." in render_report(complete, "markdown")
    partial = make_report(findings=[], unlocated=[])
    for fmt in ("markdown", "terminal", "html"):
        text = render_report(partial, fmt)
        assert "No issues found." not in text, fmt
        assert "not complete" in text and "vendor/big.js" in text, fmt
    stopped = make_report(findings=[], unlocated=[], coverage=[], stopped_by="max-turns")
    text = render_report(stopped, "markdown")
    assert "No issues found." not in text and "max-turns" in text


def test_markdown_shows_coverage_cost_unlocated_and_fixes(report: Report) -> None:
    text = render_report(report, "markdown")
    assert "Seen in full: 2 · as outline: 1 · listed only: 1" in text
    assert "`vendor/big.js`: budget" in text
    assert "Could not be located (1)" in text and "quote not found in src/ghost.py" in text
    assert "| scout | llama-4-scout | 1 | 12,000 |" in text
    assert "Fix: verified, tests pass with the fix (tests pass after the fix (3 passed))" in text
    assert "`src/stats.py:3-4`" in text
    assert "Turns: 10." in text
    # Severity sections in order.
    order = [text.index(f"## {s}") for s in ("Critical", "High", "Medium", "Info")]
    assert order == sorted(order)


def test_markdown_neutralises_model_text() -> None:
    finding = Finding(
        path="a.py", quote="``` x ```", title=HOSTILE, explanation=HOSTILE, start_line=1, end_line=1
    )
    text = render_report(make_report(findings=[finding]), "markdown")
    assert "<script" not in text and "<!-- repoagent" not in text and "@octocat" not in text
    assert "````\n``` x ```\n````" in text  # fence longer than the backticks inside


def test_terminal_plain_text_and_not_markup(report: Report) -> None:
    text = render_report(report, "terminal")
    assert "\x1b[" not in text
    assert "critical" in text and "src/stats.py:3-4" in text
    assert "Coverage: 2 full, 1 outline, 1 listed, 2 left out (1 binary, 1 budget)" in text
    hostile = make_report(
        findings=[Finding(path="a.py", quote="q", title=HOSTILE, start_line=1, end_line=1)]
    )
    out = render_report(hostile, "terminal")
    assert "[red]x[/red]" in out and "\x1b" not in out


def test_html_is_self_contained_and_escaped(report: Report) -> None:
    text = render_report(report, "html")
    assert "http" not in text and "//" not in text
    assert "@media print" in text
    assert '<td class="ln">14</td>' in text  # numbered code excerpt
    hostile = make_report(
        findings=[
            Finding(
                path="a.py",
                quote=HOSTILE,
                title=HOSTILE,
                explanation=HOSTILE,
                start_line=1,
                end_line=1,
            )
        ]
    )
    out = render_report(hostile, "html")
    assert "<script" not in out and "<!-- repoagent" not in out
    # No resource is loaded from anywhere: no element with src/href, no url(), no @import.
    tags = _tags(out)
    assert {"script", "img", "link", "iframe"}.isdisjoint(t for t, _ in tags)
    assert not [a for _, attrs in tags for a, _v in attrs if a in ("src", "href")]
    assert "url(" not in out and "@import" not in out


def _tags(document: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(document)
    return found


def test_markdown_keeps_code_spans_but_never_raw_html_or_links() -> None:
    from repoagent.report.markdown import md_text

    assert md_text("`a < b` is <b>bold</b>") == "`a < b` is &lt;b&gt;bold&lt;/b&gt;"
    assert md_text("![x](https://t.example/?q=secret)").startswith("!&#91;x]")
    assert md_text("\\`<img src=x>`") == "\\`&lt;img src=x&gt;`"  # escaped backtick: no code span
    assert md_text("`x\n# <img>`") == "`x\n# &lt;img&gt;`"  # spans never cross lines
    assert "<!--" not in md_text("`<!-- repoagent:state {} -->`")


def test_json_document_round_trips_to_the_same_report(report: Report) -> None:
    from repoagent.report import report_from_document

    doc = json.loads(render_report(report, "json"))
    again = report_from_document(doc)
    assert render_report(again, "json") == render_report(report, "json")
    assert report_from_document(report.model_dump(mode="json")) == report
    with pytest.raises(ValueError, match="schema_version"):
        report_from_document({**doc, "schema_version": "2.0"})


def test_html_code_reads_as_code() -> None:
    """Excerpts are monospaced (they were in the page's sans-serif) and `spans` become <code>."""
    finding = Finding(
        path="a.py",
        quote="    if x:\n        return 1",
        title="t",
        explanation="Subclasses using `FileSystemLoader.searchpath` <b>break</b>.",
        start_line=3,
        end_line=4,
    ).with_fingerprint()
    page = render_report(Report(repository="r", revision="abc", findings=[finding]), "html")
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", page.split("<style>", 1)[1].split("</style>", 1)[0])
    code_fonts = [body for selectors, body in rules if "table.code" in selectors.split(",")[-1]]
    assert any("monospace" in body for body in code_fonts)
    assert "<code>FileSystemLoader.searchpath</code> &lt;b&gt;break&lt;/b&gt;." in page
