"""Terminal view of a Report, drawn with rich (to a console, or captured as plain text).

Model text is printed as plain ``Text`` objects, never parsed as rich markup, so ``[red]`` or
escape sequences inside a finding cannot restyle the terminal.
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from repoagent.findings.model import Finding, Report
from repoagent.report.markdown import without_controls
from repoagent.report.summary import (
    coverage_summary,
    findings_by_severity,
    format_cost,
    line_range,
    not_covered,
    numbered_excerpt,
    stop_sentence,
    verdict,
)

SEVERITY_STYLES = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}
FIX_STYLES = {"verified": "green", "applies": "green", "rejected": "red", "unchecked": "dim"}


def _clean(text: str) -> str:
    """Drop control characters (ANSI escapes etc.) and bidi overrides from untrusted text,
    keeping newlines, tabs and the format characters words are spelled with (ZWNJ, ZWJ)."""
    return without_controls(text)


def _finding_panel(finding: Finding) -> Panel:
    body: list[RenderableType] = [Text(_clean(finding.title), style="bold")]
    if finding.explanation:
        body.append(Text(_clean(finding.explanation.strip())))
    excerpt = Table.grid(padding=(0, 1))
    excerpt.add_column(justify="right", style="dim")
    excerpt.add_column()
    for number, text in numbered_excerpt(finding):
        excerpt.add_row("" if number is None else str(number), Text(_clean(text)))
    body.append(excerpt)
    if finding.fix is not None:
        fix = Text("fix: ", style="bold")
        fix.append(finding.fix.status, style=FIX_STYLES.get(finding.fix.status, ""))
        if finding.fix.reason:
            fix.append(f" ({_clean(finding.fix.reason)})")
        body.append(fix)
    title = Text()
    title.append(f" {finding.severity} ", style=SEVERITY_STYLES.get(finding.severity, ""))
    title.append(f" {_clean(line_range(finding))} ")
    return Panel(
        Group(*body),
        title=title,
        title_align="left",
        subtitle=Text(_clean(finding.category)),
        subtitle_align="right",
    )


def _usage_table(report: Report) -> Table:
    table = Table(title="Cost", title_justify="left", show_edge=False)
    for name in ("role", "model", "calls", "prompt", "completion", "cached", "cost"):
        table.add_column(name, justify="left" if name in ("role", "model") else "right")
    for u in report.usage:
        table.add_row(
            _clean(u.role),
            _clean(u.model),
            str(u.calls),
            f"{u.prompt_tokens:,}",
            f"{u.completion_tokens:,}",
            f"{u.cached_tokens:,}",
            format_cost(u.cost),
        )
    table.add_row("total", "", "", "", "", "", format_cost(report.total_cost), style="bold")
    return table


def report_renderables(report: Report) -> list[RenderableType]:
    """The report as rich renderables, in reading order."""
    out: list[RenderableType] = []
    header = Text(f"repoagent review of {_clean(report.repository)} @ {report.revision[:12]}")
    if report.base:
        header.append(f" (changes since {report.base[:12]})")
    out.append(header)
    out.append(Text(verdict(report), style="bold"))
    for gap in not_covered(report):
        out.append(Text(f"not covered: {gap}", style="yellow"))
    for note in report.notes:
        out.append(Text(f"note: {_clean(note)}", style="dim"))
    for _severity, items in findings_by_severity(report.findings):
        out.extend(_finding_panel(f) for f in items)
    if report.unlocated:
        out.append(Text(f"Could not be located ({len(report.unlocated)}):", style="bold"))
        for u in report.unlocated:
            out.append(
                Text(
                    f"  - {_clean(u.finding.title)} in {_clean(u.finding.path)}: {_clean(u.reason)}"
                )
            )
    cov = coverage_summary(report)
    coverage = Text(
        f"Coverage: {cov.full} full, {cov.outline} outline, {cov.listed} listed, {cov.left_out} left out"
    )
    if cov.left_out_by_reason:
        coverage.append(
            " (" + ", ".join(f"{n} {r}" for r, n in cov.left_out_by_reason.items()) + ")"
        )
    out.append(coverage)
    out.append(_usage_table(report))
    out.append(Text(f"Turns: {report.turns}. {stop_sentence(report)}", style="dim"))
    return out


def print_report(report: Report, console: Console | None = None) -> None:
    """Print the report to ``console`` (stdout by default), with colour when it is a terminal."""
    console = console or Console()
    for item in report_renderables(report):
        console.print(item)


def render_terminal(report: Report, width: int = 100, color: bool = False) -> str:
    """The terminal view captured as text (ANSI colours only when ``color``)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
    )
    print_report(report, console)
    return buffer.getvalue()
