"""Render an :class:`AuditReport` as Markdown, HTML, JSON or SARIF.

The review part (findings, coverage, cost) is the outputs engineer's renderer for the review's
:class:`~repoagent.findings.model.Report`, nested one heading level down; the audit's own
sections come from :mod:`repoagent.audit.sections`. Every format renders the same object, so
one run's findings appear identically everywhere.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from repoagent.audit.model import SECTIONS, AuditReport
from repoagent.audit.sections import Code, Section, audit_sections, range_label
from repoagent.errors import ConfigError
from repoagent.findings.model import Report
from repoagent.report.html_report import CSS, render_html
from repoagent.report.markdown import md_code, md_inline, render_markdown
from repoagent.report.sarif import sarif_document

AUDIT_FORMATS: tuple[str, ...] = ("html", "markdown", "json", "sarif")
SUFFIXES = {"html": ".html", "markdown": ".md", "json": ".json", "sarif": ".sarif"}

AUDIT_CSS = """
.risk { font-size: 1.2rem; font-weight: 700; padding: .3rem .8rem; border-radius: 6px; display: inline-block; }
.risk-low { background: #dafbe1; } .risk-medium { background: #fff8c5; }
.risk-high { background: #ffebe9; } .risk-critical { background: #8b0000; color: #fff; }
section.audit { break-inside: auto; } table.data td code { white-space: pre-wrap; word-break: break-word; }
nav.toc ul { columns: 2; } .note { border-left: 4px solid var(--medium); padding: .3rem .8rem; background: #fff8c5; }
@media print { nav.toc { display: none; } .risk { border: 1px solid #000; } }
"""


def _no_review(audit: AuditReport) -> str:
    return audit.review_note or "No review ran."


def _shift_headings(markdown: str) -> str:
    """Demote Markdown headings by one level (outside code fences) and drop the H1."""
    out, fence = [], None
    for line in markdown.splitlines():
        marker = re.match(r"^(`{3,}|~{3,})", line)
        if marker:
            fence = None if fence and line.startswith(fence) else (fence or marker.group(1))
        if fence is None and line.startswith("# "):
            continue
        if fence is None and re.match(r"^#{2,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip()


def _slug(title: str) -> str:
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _md_cell(cell: object) -> str:
    """One GFM table cell: a ``|`` splits cells even inside a code span unless escaped."""
    if isinstance(cell, Code):
        return md_code(cell.text).replace("|", "\\|") if cell.text else ""
    return md_inline(str(cell)).replace("|", "\\|")


def _md_section(section: Section) -> str:
    parts = [f"## {section.title}"]
    parts.extend(md_inline(p) for p in section.paragraphs)
    if section.items:
        parts.append("\n".join(f"- {md_inline(item)}" for item in section.items))
    if section.rows:
        rows = [
            [_md_cell(c) for c in row[:-1]] + [f"[{row[-1]}](#{_slug(str(row[-1]))})"]
            if section.key == "summary"
            else [_md_cell(c) for c in row]
            for row in section.rows
        ]
        table = ["| " + " | ".join(section.headers) + " |", "|" + "---|" * len(section.headers)]
        table.extend("| " + " | ".join(r) + " |" for r in rows)
        parts.append("\n".join(table))
    elif section.empty:
        parts.append(f"_{section.empty}_")
    return "\n\n".join(parts)


def render_audit_markdown(audit: AuditReport) -> str:
    """The audit as GitHub-flavoured Markdown."""
    head = [f"# repoagent audit of {md_code(Path(audit.repository).name)}"]
    body = [_md_section(s) for s in audit_sections(audit)]
    findings = (
        _shift_headings(render_markdown(audit.review))
        if audit.review is not None
        else f"_{md_inline(_no_review(audit))}_"
    )
    review = f"## {SECTIONS['findings']}\n\n{findings}"
    return "\n\n".join([*head, *body, review]) + "\n"


def _html_cell(cell: object) -> str:
    if isinstance(cell, Code):
        return f"<code>{escape(cell.text)}</code>" if cell.text else ""
    if isinstance(cell, int):
        return f'<span class="num">{cell}</span>'
    return escape(str(cell))


def _html_section(section: Section) -> str:
    parts = [f'<section class="audit" id="{section.key}"><h2>{escape(section.title)}</h2>']
    if section.key == "summary" and section.paragraphs:
        level = section.paragraphs[0].split(":", 1)[1].strip(" .").lower()
        parts.append(f'<p class="risk risk-{escape(level)}">{escape(section.paragraphs[0])}</p>')
        paragraphs = section.paragraphs[1:]
    else:
        paragraphs = section.paragraphs
    parts.extend(
        f'<p class="{"note" if p.startswith("Note:") else ""}">{escape(p)}</p>' for p in paragraphs
    )
    if section.items:
        parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in section.items) + "</ul>")
    if section.rows:
        head = "".join(f"<th>{escape(h)}</th>" for h in section.headers)
        rows = []
        for row in section.rows:
            cells = [_html_cell(c) for c in row]
            if section.key == "summary":
                key = next(k for k, v in SECTIONS.items() if v == row[-1])
                cells[-1] = f'<a href="#{key}">{escape(str(row[-1]))}</a>'
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append(f'<table class="data"><tr>{head}</tr>{"".join(rows)}</table>')
    elif section.empty:
        parts.append(f'<p class="muted">{escape(section.empty)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _review_html_body(report: Report) -> str:
    """The review renderer's body, its headings demoted one level, its H1 dropped."""
    page = render_html(report)
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    body = re.sub(r"<h1>.*?</h1>", "", body, count=1, flags=re.S)
    for level in (4, 3, 2):
        body = body.replace(f"<h{level}", f"<h{level + 1}").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return body.strip()


def render_audit_html(audit: AuditReport) -> str:
    """The audit as one self-contained, printable HTML file (inline CSS, no external references)."""
    title = f"repoagent audit of {Path(audit.repository).name}"
    sections = audit_sections(audit)
    toc = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections)
    toc += f'<li><a href="#findings">{escape(SECTIONS["findings"])}</a></li>'
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(range_label(audit))}</p>',
        f'<nav class="toc"><ul>{toc}</ul></nav>',
        *(_html_section(s) for s in sections),
        f'<section class="audit" id="findings"><h2>{escape(SECTIONS["findings"])}</h2>',
        _review_html_body(audit.review)
        if audit.review is not None
        else f'<p class="note">{escape(_no_review(audit))}</p>',
        "</section>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}{AUDIT_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def render_audit_json(audit: AuditReport) -> str:
    """The whole audit as JSON; :func:`load_audit` reads it back for re-rendering."""
    return audit.model_dump_json(indent=2) + "\n"


def audit_schema() -> dict[str, Any]:
    """JSON Schema of the ``--format json`` document (for scripts that consume it)."""
    return AuditReport.model_json_schema()


def render_audit_sarif(audit: AuditReport) -> str:
    """The review's findings as SARIF 2.1.0, the audit's summary in the run's property bag."""
    review = audit.review or Report(
        repository=audit.repository,
        revision=audit.revision,
        base=audit.since,
        notes=[_no_review(audit)],
    )
    document: dict[str, Any] = sarif_document(review)
    document["runs"][0].setdefault("properties", {})["audit"] = {
        "since": audit.since_name,
        "risk": audit.risk,
        "riskReasons": [r.text for r in audit.risk_reasons],
        "apiChanges": len(audit.api),
        "dependencyChanges": len(audit.dependencies),
        "newMarkers": len(audit.markers),
        "untestedSourceFiles": len(audit.test_gaps),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_audit(audit: AuditReport, fmt: str) -> str:
    """Render the audit in ``fmt`` (html, markdown, json or sarif)."""
    renderers = {
        "html": render_audit_html,
        "markdown": render_audit_markdown,
        "json": render_audit_json,
        "sarif": render_audit_sarif,
    }
    if fmt not in renderers:
        raise ConfigError(f"unknown audit format {fmt!r}; choose one of {', '.join(AUDIT_FORMATS)}")
    return renderers[fmt](audit)


def load_audit(path: Path) -> AuditReport:
    """Read an audit saved as JSON (``--format json``) so it can be rendered again."""
    try:
        return AuditReport.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path} is not a saved repoagent audit: {str(exc).splitlines()[0]}"
        ) from None
