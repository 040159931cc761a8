"""HTML view of a Report: one self-contained file (inline CSS, no scripts, fonts or images from
anywhere), readable on screen and in print. Every piece of text is escaped: findings come from a
model and are untrusted.
"""

from __future__ import annotations

import re
from html import escape

from repoagent.findings.model import Finding, Report
from repoagent.report.summary import (
    coverage_summary,
    findings_by_severity,
    format_cost,
    line_range,
    not_covered,
    numbered_excerpt,
    severity_counts,
    stop_sentence,
    verdict,
)

CSS = """
:root { --fg:#1b1f24; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --code:#f6f8fa;
  --critical:#8b0000; --high:#cf222e; --medium:#9a6700; --low:#0969da; --info:#59636e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid var(--line); }
.meta, .muted { color: var(--muted); }
code, pre, table.code { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
.verdict { font-size: 1.15rem; font-weight: 600; }
.gaps { border-left: 4px solid var(--medium); padding: .3rem .8rem; background: #fff8c5; }
.counts span { display: inline-block; margin-right: .8rem; }
.finding { border: 1px solid var(--line); border-radius: 6px; margin: 1rem 0; padding: .6rem 1rem;
  break-inside: avoid; page-break-inside: avoid; }
.finding h3 { margin: .2rem 0; font-size: 1.05rem; }
.sev { display: inline-block; color: #fff; border-radius: 4px; padding: 0 .4rem; font-size: .8rem;
  text-transform: uppercase; font-weight: 700; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); }
.sev-medium { background: var(--medium); } .sev-low { background: var(--low); } .sev-info { background: var(--info); }
.explanation { white-space: pre-wrap; }
table.code { border-collapse: collapse; width: 100%; background: var(--code); font-size: .85rem; }
table.code td { padding: 0 .5rem; vertical-align: top; white-space: pre-wrap; word-break: break-word; }
table.code td.ln { color: var(--muted); text-align: right; user-select: none; width: 1%; white-space: nowrap; }
pre.fix { background: var(--code); padding: .5rem; overflow-x: auto; font-size: .85rem; }
pre.fix .add { background: #dafbe1; } pre.fix .del { background: #ffebe9; }
.fix-verified, .fix-applies { color: #1a7f37; } .fix-rejected { color: var(--high); }
table.data { border-collapse: collapse; } table.data td, table.data th { border: 1px solid var(--line);
  padding: .2rem .6rem; text-align: left; } table.data td.num { text-align: right; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .finding { border-color: #999; } .sev { color: #000; border: 1px solid #000; background: none !important; }
  details { display: block; } details > summary { list-style: none; }
  pre.fix { white-space: pre-wrap; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _prose(text: str) -> str:
    """Escaped text whose `code spans` (as the Markdown report shows them) become <code>."""
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", _e(text))


def _diff_html(diff: str) -> str:
    """A unified diff with added and removed lines marked (colour on screen, +/- in print)."""
    out = []
    for line in diff.splitlines():
        kind = "add" if line.startswith("+") and not line.startswith("+++") else ""
        kind = kind or ("del" if line.startswith("-") and not line.startswith("---") else "")
        out.append(f'<span class="{kind}">{_e(line)}</span>' if kind else _e(line))
    return "\n".join(out)


def _finding_html(finding: Finding, number: int) -> str:
    rows = "".join(
        f'<tr><td class="ln">{"" if n is None else n}</td><td>{_e(text)}</td></tr>'
        for n, text in numbered_excerpt(finding)
    )
    parts = [
        f'<article class="finding" id="finding-{number}">',
        f'<h3><span class="sev sev-{_e(finding.severity)}">{_e(finding.severity)}</span> {_e(finding.title)}</h3>',
        f'<div class="meta"><code>{_e(line_range(finding))}</code> · {_e(finding.category)}'
        f"{' · ' + _e(finding.fingerprint) if finding.fingerprint else ''}</div>",
    ]
    if finding.explanation:
        parts.append(f'<p class="explanation">{_prose(finding.explanation.strip())}</p>')
    parts.append(f'<table class="code">{rows}</table>')
    if finding.fix is not None:
        fix = finding.fix
        reason = f": {_e(fix.reason)}" if fix.reason else ""
        parts.append(
            f'<p>Fix: <strong class="fix-{_e(fix.status)}">{_e(fix.status)}</strong>{reason}</p>'
        )
        if fix.status != "rejected" and (fix.diff or fix.replacement):
            parts.append(
                f'<pre class="fix">{_diff_html(fix.diff) if fix.diff else _e(fix.replacement)}</pre>'
            )
    parts.append("</article>")
    return "\n".join(parts)


def _coverage_html(report: Report) -> str:
    cov = coverage_summary(report)
    out = [
        '<table class="data"><tr><th>Seen in full</th><th>As outline</th><th>Listed only</th><th>Left out</th></tr>',
        f'<tr><td class="num">{cov.full}</td><td class="num">{cov.outline}</td>'
        f'<td class="num">{cov.listed}</td><td class="num">{cov.left_out}</td></tr></table>',
    ]
    left_out = [c for c in report.coverage if c.level is None]
    if left_out:
        items = "".join(
            f"<li><code>{_e(c.path)}</code>: {_e(c.reason or 'unspecified')}</li>" for c in left_out
        )
        out.append(
            f"<details open><summary>Files left out ({len(left_out)})</summary><ul>{items}</ul></details>"
        )
    return "\n".join(out)


def _usage_html(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{_e(u.role)}</td><td>{_e(u.model)}</td><td class='num'>{u.calls}</td>"
        f"<td class='num'>{u.prompt_tokens:,}</td><td class='num'>{u.completion_tokens:,}</td>"
        f"<td class='num'>{u.cached_tokens:,}</td><td class='num'>{_e(format_cost(u.cost))}</td></tr>"
        for u in report.usage
    )
    stop = _e(stop_sentence(report))
    return (
        '<table class="data"><tr><th>Role</th><th>Model</th><th>Calls</th><th>Prompt tokens</th>'
        f"<th>Completion tokens</th><th>Cached</th><th>Cost</th></tr>{rows}"
        f"<tr><th colspan='6'>Total</th><th class='num'>{_e(format_cost(report.total_cost))}</th></tr></table>"
        f"<p>Turns: {report.turns}. {stop}</p>"
    )


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document."""
    title = f"repoagent review of {report.repository}"
    counts = "".join(
        f'<span><span class="sev sev-{_e(s)}">{_e(s)}</span> {n}</span>'
        for s, n in severity_counts(report.findings).items()
    )
    body = [
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">Revision <code>{_e(report.revision)}</code>'
        + (f", changes since <code>{_e(report.base)}</code>" if report.base else "")
        + (f" · run <code>{_e(report.run_id)}</code>" if report.run_id else "")
        + f" · cost {_e(format_cost(report.total_cost))}</p>",
        f'<p class="verdict">{_e(verdict(report))}</p>',
        f'<p class="counts">{counts}</p>',
    ]
    gaps = not_covered(report)
    if gaps:
        body.append(
            '<div class="gaps"><strong>Not covered</strong><ul>'
            + "".join(f"<li>{_e(g)}</li>" for g in gaps)
            + "</ul></div>"
        )
    if report.notes:
        body.append(
            "<ul class='muted'>" + "".join(f"<li>{_e(n)}</li>" for n in report.notes) + "</ul>"
        )
    number = 0
    for severity, items in findings_by_severity(report.findings):
        body.append(f'<h2 id="sev-{_e(severity)}">{_e(severity.capitalize())} ({len(items)})</h2>')
        for f in items:
            number += 1
            body.append(_finding_html(f, number))
    if report.unlocated:
        items_html = "".join(
            f"<li><strong>{_e(u.finding.title)}</strong> in <code>{_e(u.finding.path)}</code>: {_e(u.reason)}</li>"
            for u in report.unlocated
        )
        body.append(f"<h2>Could not be located ({len(report.unlocated)})</h2><ul>{items_html}</ul>")
    body.append("<h2>Coverage</h2>" + _coverage_html(report))
    body.append("<h2>Cost</h2>" + _usage_html(report))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
