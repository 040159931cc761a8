"""Renderers: views of one Report as terminal text, Markdown, JSON, SARIF 2.1.0 or HTML."""

from __future__ import annotations

from typing import Literal, get_args

from repoagent.errors import ConfigError
from repoagent.findings.model import Report
from repoagent.report.html_report import render_html
from repoagent.report.json_report import (
    SCHEMA_VERSION,
    render_json,
    report_document,
    report_from_document,
    report_schema,
)
from repoagent.report.markdown import render_markdown
from repoagent.report.sarif import render_sarif, sarif_document
from repoagent.report.terminal import print_report, render_terminal

ReportFormat = Literal["terminal", "markdown", "json", "sarif", "html"]
FORMATS: tuple[str, ...] = get_args(ReportFormat)

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "ReportFormat",
    "print_report",
    "render_html",
    "render_json",
    "render_markdown",
    "render_report",
    "render_sarif",
    "render_terminal",
    "report_document",
    "report_from_document",
    "report_schema",
    "sarif_document",
]


def render_report(report: Report, fmt: str) -> str:
    """Render ``report`` in ``fmt`` (terminal, markdown, json, sarif or html) as text."""
    renderers = {
        "terminal": render_terminal,
        "markdown": render_markdown,
        "json": render_json,
        "sarif": render_sarif,
        "html": render_html,
    }
    if fmt not in renderers:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report)
