"""The one summary comment per pull request, found by a hidden marker and updated in place.

It says what was reviewed, what was skipped and why, the findings outside the diff, resolved
findings and the cost. A hidden state block carries the fingerprints already posted, so a later
push posts only new findings and marks the ones no longer reported as resolved.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repoagent.findings.model import Finding, Report, normalise_code
from repoagent.github.client import MAX_BODY_CHARS
from repoagent.github.diff import CommentableLines
from repoagent.github.payload import Placement, truncate_body
from repoagent.report.markdown import (
    coverage_markdown,
    finding_markdown,
    md_code,
    md_inline,
    unlocated_markdown,
    usage_markdown,
)
from repoagent.report.summary import line_range, not_covered, sorted_findings, verdict

SUMMARY_MARKER = "<!-- repoagent:summary -->"
MAX_RESOLVED = 100
MAX_STATE_CHARS = 30_000
_STATE = re.compile(r"<!-- repoagent:state (\{.*?\}) -->", re.DOTALL)
_FINGERPRINT = re.compile(r"<!-- repoagent:finding ([0-9a-f]{6,64}) -->")


@dataclass
class ReviewState:
    """What earlier runs posted: fingerprint → short record, plus resolved ones."""

    open: dict[str, dict[str, Any]] = field(default_factory=dict)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_marker(self) -> str:
        """The hidden state block: JSON inside an HTML comment (``--`` escaped, still JSON)."""
        recent = sorted(self.resolved.items(), key=lambda kv: str(kv[1].get("resolved_at", "")))
        state = {"version": 1, "open": self.open, "resolved": dict(recent[-MAX_RESOLVED:])}
        data = json.dumps(state, sort_keys=True)
        if len(data) > MAX_STATE_CHARS:  # many findings: keep identities, drop descriptions
            slim = {fp: {"inline": bool(r.get("inline"))} for fp, r in self.open.items()}
            data = json.dumps({"version": 1, "open": slim, "resolved": {}}, sort_keys=True)
        safe = data.replace("--", "-\\u002d")  # "--" would end the HTML comment
        return f"<!-- repoagent:state {safe} -->"


def parse_state(body: str) -> ReviewState:
    """Read the hidden state from a summary comment body (empty state when absent or broken)."""
    matches = _STATE.findall(body or "")
    if not matches:
        return ReviewState()
    try:
        data = json.loads(matches[-1])  # ours is always the last block
        return ReviewState(open=dict(data.get("open", {})), resolved=dict(data.get("resolved", {})))
    except (ValueError, AttributeError, TypeError):
        return ReviewState()


def fingerprint_in(body: str) -> str | None:
    """Fingerprint carried by our inline comment's marker (always the body's last marker)."""
    found = _FINGERPRINT.findall(body or "")
    return found[-1] if found else None


#: ``code_present(path, normalised code)``: is that code still in the file at the new head?
CodePresent = Callable[[str, str], bool]


def _record(finding: Finding, inline: bool, head: str) -> dict[str, Any]:
    return {
        "title": finding.title[:200],
        "where": line_range(finding)[:300],
        "path": finding.path,
        "code": normalise_code(finding.quote)[:300],
        "severity": finding.severity,
        "inline": inline,
        "since": head,
    }


def next_state(
    previous: ReviewState,
    placements: list[Placement],
    posted_inline: set[str],
    head: str,
    code_present: CodePresent | None = None,
) -> ReviewState:
    """State after this run: current findings open; vanished ones resolved at ``head`` when
    their code is gone, else kept open as not reported this run (a model may just miss it)."""
    current = {p.finding.fingerprint: p for p in placements}
    state = ReviewState(resolved={k: v for k, v in previous.resolved.items() if k not in current})
    for fp, p in current.items():
        old = previous.open.get(fp) or previous.resolved.get(fp)
        inline = fp in posted_inline or bool(old and old.get("inline"))
        record = _record(p.finding, inline, head)
        if old:
            record["since"] = old.get("since", head)
        state.open[fp] = record
    for fp, record in previous.open.items():
        if fp in current:
            continue
        path, code = str(record.get("path", "")), str(record.get("code", ""))
        if code_present is not None and path and code and code_present(path, code):
            state.open[fp] = {**record, "unreported": head}
        else:
            state.resolved[fp] = {**record, "resolved_at": head}
    return state


def _finding_line(p: Placement, new: bool) -> str:
    f = p.finding
    mark = "🆕 " if new else ""
    reason = f" — {md_inline(p.reason)}" if p.reason else ""
    return f"- {mark}**{f.severity}** {md_inline(f.title)} at {md_code(line_range(f))}{reason}"


def _section(title: str, items: list[Placement], known: set[str], details: bool) -> str:
    lines = [_finding_line(p, p.finding.fingerprint not in known) for p in items]
    text = f"### {title} ({len(items)})\n" + "\n".join(lines)
    if details:  # not commented inline: the explanation and fix live here
        bodies = "\n\n".join(finding_markdown(p.finding, "####") for p in items)
        text += f"\n\n<details><summary>Details</summary>\n\n{bodies}\n\n</details>"
    return text


def _unreported_section(state: ReviewState) -> str:
    items = [(fp, r) for fp, r in sorted(state.open.items()) if r.get("unreported")]
    lines = [
        f"- **{md_inline(str(r.get('severity', '')))}** {md_inline(str(r.get('title', fp)))}"
        f" at {md_code(str(r.get('where', '?')))} — since {md_code(str(r.get('since', ''))[:12])}"
        for fp, r in items
    ]
    title = "Not reported this run; the code is unchanged, so still open"
    return f"### {title} ({len(items)})\n" + "\n".join(lines) if items else ""


def _resolved_section(state: ReviewState, newly: set[str]) -> str:
    lines = [
        f"- ✅ ~~{md_inline(str(r.get('title', fp)))}~~ at {md_code(str(r.get('where', '?')))}"
        f" — resolved at {md_code(str(r.get('resolved_at', ''))[:12])}"
        for fp, r in sorted(state.resolved.items(), key=lambda kv: (kv[0] not in newly, kv[0]))
    ]
    return f"### Resolved ({len(state.resolved)})\n" + "\n".join(lines)


def summary_body(
    report: Report,
    placements: list[Placement],
    previous: ReviewState,
    state: ReviewState,
    lines: CommentableLines,
    notes: list[str] | None = None,
) -> str:
    """The summary comment's Markdown (marker and hidden state included, under the size limit)."""
    known = set(previous.open) | set(previous.resolved)
    ordered = sorted_findings([p.finding for p in placements])
    rank = {id(f): i for i, f in enumerate(ordered)}
    placements = sorted(placements, key=lambda p: rank[id(p.finding)])
    inline = [p for p in placements if p.inline]
    outside = [p for p in placements if not p.inline]
    parts = [
        f"## repoagent review\n\nReviewed {md_code(lines.head[:12])}: {len(lines.files)} changed "
        f"file(s) since the merge base {md_code(lines.base[:12])}. **{verdict(report)}**"
    ]
    gaps = not_covered(report)
    if gaps:
        parts.append("**Not covered:**\n" + "\n".join(f"- {md_inline(g)}" for g in gaps))
    parts.extend(f"> {md_inline(note)}" for note in [*(notes or []), *report.notes])
    if inline:
        parts.append(_section("On the changed lines", inline, known, details=False))
    if outside:
        parts.append(_section("Outside the diff", outside, known, details=True))
    unreported = _unreported_section(state)
    if unreported:
        parts.append(unreported)
    if state.resolved:
        parts.append(_resolved_section(state, set(state.resolved) & set(previous.open)))
    if report.unlocated:
        parts.append(
            f"### Could not be located ({len(report.unlocated)})\n{unlocated_markdown(report)}"
        )
    parts.append(
        "<details><summary>Coverage and cost</summary>\n\n"
        + coverage_markdown(report)
        + "\n\n"
        + usage_markdown(report)
        + "\n\n</details>"
    )
    tail = "\n\n" + SUMMARY_MARKER + "\n" + state.to_marker()
    body = "\n\n".join(parts)
    note = "the full report is in the job summary and the SARIF file"
    return truncate_body(body, MAX_BODY_CHARS - len(tail), note) + tail
