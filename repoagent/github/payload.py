"""The review payload: inline comments anchored by the diff, validated locally before sending.

One ``POST /pulls/{n}/reviews`` with every comment is all-or-nothing (one bad line makes GitHub
answer 422 for everything), so :func:`validate_review` checks each comment against the local
diff first. The event is always ``COMMENT``: repoagent never approves or requests changes.
Docs: https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from repoagent.errors import GitHubError
from repoagent.findings.model import Finding
from repoagent.github.client import MAX_BODY_CHARS
from repoagent.github.diff import CommentableLines
from repoagent.github.suggestions import FileReader, suggestion_lines
from repoagent.report.markdown import fence, fix_label, md_code, md_inline, md_text
from repoagent.report.summary import PROVEN_FIX_STATUSES, line_range

FINGERPRINT_MARKER = "<!-- repoagent:finding {} -->"
ALLOWED_EVENT = "COMMENT"
_COMMENT_KEYS = {"path", "line", "side", "start_line", "start_side", "body"}


@dataclass(frozen=True)
class Placement:
    """Where a finding goes: inline on the diff, or in the summary with the reason."""

    finding: Finding
    inline: bool
    reason: str = ""


def place_findings(findings: list[Finding], lines: CommentableLines) -> list[Placement]:
    """Decide per finding: inline only when its resolved lines lie inside one hunk of the diff."""
    placements = []
    for f in findings:
        if f.start_line <= 0:
            placements.append(Placement(f, False, "not located in the code"))
        elif f.path not in lines.files:
            placements.append(Placement(f, False, "file not changed by this pull request"))
        elif lines.can_comment(f.path, f.start_line, max(f.end_line, f.start_line)):
            placements.append(Placement(f, True))
        else:
            placements.append(Placement(f, False, "lines outside the changed hunks"))
    return placements


def truncate_body(body: str, limit: int = MAX_BODY_CHARS, note: str = "") -> str:
    """Cut ``body`` to ``limit`` characters at a paragraph outside any code block, ending with a
    visible note; open ``<details>`` are closed so the rest of the comment renders normally."""
    if len(body) <= limit:
        return body
    tail = f"\n\n… truncated{': ' + note if note else ''}."
    cut = body[: max(limit - len(tail) - 200, 0)]
    paragraph = cut.rfind("\n\n")
    if paragraph > len(cut) // 2:
        cut = cut[:paragraph]
    fences = list(re.finditer(r"^`{3,}", cut, re.MULTILINE))
    if len(fences) % 2:  # inside a code block: cut before it opened
        cut = cut[: fences[-1].start()].rstrip()
    closes = "\n\n</details>" * max(cut.count("<details>") - cut.count("</details>"), 0)
    return cut + tail + closes


def comment_body(finding: Finding, suggestion: str | None = None) -> str:
    """Markdown of one inline comment; a ``suggestion`` block only for a proven fix's lines."""
    parts = [
        f"**{finding.severity}** · {md_inline(finding.category)} · **{md_inline(finding.title)}**"
    ]
    if finding.explanation:
        parts.append(md_text(finding.explanation.strip()))
    fix = finding.fix
    if fix is not None and fix.status in PROVEN_FIX_STATUSES and suggestion is not None:
        parts.append(f"Suggested fix: {fix_label(finding)}.")
        parts.append(fence(suggestion, "suggestion") if suggestion else "```suggestion\n```")
    elif fix is not None and fix.status != "rejected" and fix.diff:
        parts.append(f"Possible fix: {fix_label(finding)}; not offered as a suggestion.")
        parts.append(fence(fix.diff, "diff"))
    parts.append(f"<sub>repoagent · `{finding.fingerprint}` · {md_code(line_range(finding))}</sub>")
    marker = "\n\n" + FINGERPRINT_MARKER.format(finding.fingerprint)
    body = "\n\n".join(parts)
    if len(body) + len(marker) > MAX_BODY_CHARS:
        body = truncate_body(body, MAX_BODY_CHARS - len(marker), "see the summary comment")
    return body + marker


def review_comment(finding: Finding, read_file: FileReader | None = None) -> dict[str, Any]:
    """The API object of one inline comment on the head side (multi-line when the range spans)."""
    end = max(finding.end_line, finding.start_line)
    body = comment_body(finding, suggestion_lines(finding, read_file))
    comment: dict[str, Any] = {"path": finding.path, "line": end, "side": "RIGHT", "body": body}
    if end > finding.start_line:
        comment["start_line"] = finding.start_line
        comment["start_side"] = "RIGHT"
    return comment


def build_review(
    findings: list[Finding], head_sha: str, body: str = "", read_file: FileReader | None = None
) -> dict[str, Any]:
    """The one review payload: event COMMENT at the head commit with every inline comment."""
    return {
        "commit_id": head_sha,
        "event": ALLOWED_EVENT,
        "body": truncate_body(body),
        "comments": [review_comment(f, read_file) for f in findings],
    }


def review_problems(payload: dict[str, Any], lines: CommentableLines) -> list[str]:
    """Everything GitHub would reject in ``payload``, checked against the local diff."""
    problems = []
    if payload.get("event") != ALLOWED_EVENT:
        problems.append(f"event must be {ALLOWED_EVENT}, not {payload.get('event')!r}")
    if lines.head and payload.get("commit_id") != lines.head:
        problems.append("commit_id is not the pull request's head commit")
    if len(str(payload.get("body", ""))) >= 65_536:
        problems.append("review body is 65,536 characters or longer")
    for n, c in enumerate(payload.get("comments", [])):
        where = f"comment {n + 1} ({c.get('path')}:{c.get('line')})"
        if set(c) - _COMMENT_KEYS:
            problems.append(f"{where}: unexpected keys {sorted(set(c) - _COMMENT_KEYS)}")
        side = c.get("side", "RIGHT")
        line, start = c.get("line"), c.get("start_line", c.get("line"))
        if side not in ("RIGHT", "LEFT") or c.get("start_side", side) != side:
            problems.append(f"{where}: sides must match and be RIGHT or LEFT")
        elif not isinstance(line, int) or not isinstance(start, int):
            problems.append(f"{where}: line numbers must be integers")
        elif "start_line" in c and not start < line:
            problems.append(f"{where}: start_line must be below line")
        elif not lines.can_comment(str(c.get("path")), start, line, side):
            problems.append(f"{where}: not inside one hunk of the diff")
        if not c.get("body") or len(str(c.get("body"))) >= 65_536:
            problems.append(f"{where}: body empty or 65,536 characters or longer")
    return problems


def validate_review(payload: dict[str, Any], lines: CommentableLines) -> None:
    """Raise GitHubError unless every part of ``payload`` is acceptable to GitHub."""
    problems = review_problems(payload, lines)
    if problems:
        raise GitHubError("review payload rejected locally: " + "; ".join(problems[:5]))
