"""Markdown view of a Report (for files, job summaries and the GitHub summary comment).

Text from a model is untrusted: outside code spans it is HTML-escaped (GitHub renders a subset of
HTML, and a hidden ``<!-- -->`` could forge our markers), ``@`` is escaped so nobody gets pinged,
``[`` so no link or image (a tracking URL) is rendered; code spans stay as written (GitHub shows
them literally), and code blocks get fences longer than any backtick run inside them. Control characters (ANSI
escapes, BEL) and bidi embeddings, overrides and isolates are dropped from a report's text, code
included: a Markdown report printed to a terminal must not drive it. Other format characters are
text (ZWNJ in Persian words, ZWJ in emoji sequences, soft hyphens) and stay; ``fence`` itself
changes nothing, so a GitHub suggestion (never shown on a terminal) carries the code exactly.
"""

from __future__ import annotations

import re
import unicodedata

from repoagent.findings.model import Finding, Report
from repoagent.report.summary import (
    coverage_summary,
    findings_by_severity,
    format_cost,
    line_range,
    not_covered,
    stop_sentence,
    verdict,
)

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;", "|": "&#124;", "[": "&#91;"}
# A one-line code span: a backtick run not preceded by a backslash, closed by a run of the same
# length on the same line (a span across lines could be broken by a block start, exposing HTML).
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)([^\n]+?)(?<!`)\1(?!`)")


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


# Bidi embeddings and overrides (U+202A-202E) and isolates (U+2066-2069) reorder what follows
# them ("Trojan Source", CVE-2021-42574); the marks U+200E/U+200F only mark, and stay.
_BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def without_controls(text: str) -> str:
    """``text`` without control characters (but newline and tab), lone surrogates and bidi
    embeddings, overrides and isolates; other format characters (ZWNJ, ZWJ) are text."""
    return "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI_CONTROLS)
    )


def md_text(text: str) -> str:
    """Escape untrusted text for Markdown prose (HTML, mentions, links), code spans kept."""
    text = without_controls(text)
    out, pos = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape(text[pos : match.start()]))
        # A marker-like comment stays escaped even in code, so it can never forge our state.
        out.append(_escape(match[0]) if "<!--" in match[0] else match[0])
        pos = match.end()
    out.append(_escape(text[pos:]))
    return "".join(out)


def md_inline(text: str) -> str:
    """Escape untrusted text for one line (titles, table cells): whitespace collapsed."""
    return md_text(" ".join(text.split()))


def md_code(text: str) -> str:
    """Inline code span that survives backticks inside ``text``."""
    one_line = " ".join(without_controls(text).split())
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", one_line)), default=0) + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{ticks}{pad}{one_line}{pad}{ticks}"


def fence(text: str, lang: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``text`` (kept as is)."""
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{ticks}{lang}\n{body}{ticks}"


def fix_label(finding: Finding) -> str:
    """Human label of the fix status (empty when there is no fix)."""
    if finding.fix is None:
        return ""
    labels = {
        "verified": "verified, tests pass with the fix",
        "applies": "applies and parses, not tested",
        "rejected": "rejected",
        "unchecked": "not checked",
    }
    label = labels.get(finding.fix.status, finding.fix.status)
    if finding.fix.reason:
        label += f" ({md_inline(finding.fix.reason)})"
    return label


def finding_markdown(finding: Finding, heading: str = "###") -> str:
    """One finding: title, location, explanation, quoted code and the fix."""
    parts = [
        f"{heading} {md_inline(finding.title)}",
        f"**{finding.severity}** · {md_inline(finding.category)} · {md_code(line_range(finding))}",
    ]
    if finding.explanation:
        parts.append(md_text(finding.explanation.strip()))
    parts.append(fence(without_controls(finding.quote)))
    if finding.fix is not None:
        parts.append(f"Fix: {fix_label(finding)}")
        if finding.fix.status != "rejected":
            parts.append(
                fence(
                    without_controls(finding.fix.diff or finding.fix.replacement),
                    "diff" if finding.fix.diff else "",
                )
            )
    return "\n\n".join(parts)


def coverage_markdown(report: Report) -> str:
    """The coverage manifest: counts per level, files left out and why."""
    cov = coverage_summary(report)
    lines = [
        f"- Seen in full: {cov.full} · as outline: {cov.outline} · listed only: {cov.listed}",
        f"- Left out: {cov.left_out}"
        + (
            " (" + ", ".join(f"{n} {r}" for r, n in cov.left_out_by_reason.items()) + ")"
            if cov.left_out
            else ""
        ),
    ]
    left_out = [c for c in report.coverage if c.level is None]
    if left_out:
        lines.append("")
        lines.append("<details><summary>Files left out</summary>\n")
        lines.extend(
            f"- {md_code(c.path)}: {md_inline(c.reason or 'unspecified')}" for c in left_out
        )
        lines.append("\n</details>")
    return "\n".join(lines)


def usage_markdown(report: Report) -> str:
    """Tokens and cost per role as a table, plus turns and the stopping budget."""
    rows = [
        "| Role | Model | Calls | Prompt tokens | Completion tokens | Cached | Cost |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for u in report.usage:
        rows.append(
            f"| {md_inline(u.role)} | {md_inline(u.model)} | {u.calls} | {u.prompt_tokens:,} | "
            f"{u.completion_tokens:,} | {u.cached_tokens:,} | {format_cost(u.cost)} |"
        )
    rows.append(f"| **total** | | | | | | **{format_cost(report.total_cost)}** |")
    rows.append("")
    rows.append(f"Turns: {report.turns}. {stop_sentence(report)}")
    repaired = sum(u.repaired_calls for u in report.usage)
    rejected = sum(u.rejected_calls for u in report.usage)
    retries = sum(u.retries for u in report.usage)
    if repaired or rejected or retries:
        rows.append("")
        rows.append(
            f"Model output repaired: {repaired} tool call(s) recovered or normalised, "
            f"{rejected} invalid call(s) sent back to the model, {retries} request(s) retried."
        )
    return "\n".join(rows)


def unlocated_markdown(report: Report) -> str:
    """Findings that could not be anchored to the code, with the reason."""
    return "\n".join(
        f"- **{md_inline(u.finding.title)}** in {md_code(u.finding.path)}: {md_inline(u.reason)}"
        for u in report.unlocated
    )


def render_markdown(report: Report) -> str:
    """The whole report as GitHub-flavoured Markdown."""
    head = f"# repoagent review of {md_code(report.repository)}"
    where = f"Revision {md_code(report.revision)}" + (
        f", changes since {md_code(report.base)}" if report.base else ""
    )
    parts = [
        head,
        where + (f" · run {md_code(report.run_id)}" if report.run_id else ""),
        f"**{verdict(report)}**",
    ]
    gaps = not_covered(report)
    if gaps:
        parts.append("**Not covered:**\n\n" + "\n".join(f"- {md_text(g)}" for g in gaps))
    if report.notes:
        parts.append("**Notes:**\n\n" + "\n".join(f"- {md_inline(n)}" for n in report.notes))
    for severity, items in findings_by_severity(report.findings):
        parts.append(f"## {severity.capitalize()} ({len(items)})")
        parts.extend(finding_markdown(f) for f in items)
    if report.unlocated:
        parts.append(
            f"## Could not be located ({len(report.unlocated)})\n\n{unlocated_markdown(report)}"
        )
    parts.append("## Coverage\n\n" + coverage_markdown(report))
    parts.append("## Cost\n\n" + usage_markdown(report))
    return "\n\n".join(parts) + "\n"
