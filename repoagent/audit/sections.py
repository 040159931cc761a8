"""The audit's own sections as plain data (paragraphs + a table), so Markdown and HTML render the
same content. Cells wrapped in :class:`Code` are shown as code; everything else as text.
All text from the repository (commit subjects, names, marker lines) is untrusted: renderers
escape every cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from repoagent.audit.model import SECTIONS, AuditReport
from repoagent.audit.test_gaps import is_test_file

MAX_FILE_ROWS = 300
"""Changed files shown in Markdown/HTML (a whole-history audit can list thousands)."""
MAX_CONTRIBUTORS = 30
MAX_LOCK_ROWS = 40
"""Lock-file rows shown in Markdown/HTML (a lock file can change hundreds of transitive pins)."""


@dataclass(frozen=True)
class Code:
    """A table cell shown as code."""

    text: str


Cell = str | Code | int


@dataclass
class Section:
    """One titled section of the audit report."""

    key: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    """A bulleted list shown after the paragraphs."""
    headers: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""
    """Shown instead of the table when there are no rows."""

    @property
    def title(self) -> str:
        """The section's heading."""
        return SECTIONS[self.key]


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def range_label(audit: AuditReport) -> str:
    """``v1.0 (abc1234)..HEAD (def5678)`` or ``the whole history..HEAD``."""
    since = (
        f"{audit.since_name} ({audit.since[:8]})"
        if audit.since and audit.since_name
        else "the beginning"
    )
    return f"{since} → {audit.rev_name} ({audit.revision[:8]})"


def summary_section(audit: AuditReport) -> Section:
    """Risk rating, its reasons (each naming its section), and the headline numbers."""
    c = audit.changes
    paragraphs = [
        f"Risk: {audit.risk.upper()}.",
        f"Range: {range_label(audit)}. {audit.range_note}".strip(),
        f"{_n(len(c.commits), 'commit')} by {_n(len(c.contributors), 'contributor')}; "
        f"{_n(len(c.files), 'file')} changed, +{c.lines_added} / -{c.lines_removed} lines. "
        f"{_n(audit.findings_count, 'review finding')}, {_n(len(audit.api), 'API change')}, "
        f"{_n(len(audit.dependencies), 'dependency change')}, {_n(len(audit.markers), 'new marker')}, "
        f"{_n(len(audit.test_gaps), 'source file')} without test changes.",
    ]
    if audit.review_note:
        paragraphs.append(f"Note: {audit.review_note}")
    rows: list[list[Cell]] = [[r.level, r.text, SECTIONS[r.section]] for r in audit.risk_reasons]
    return Section(
        key="summary",
        paragraphs=paragraphs,
        headers=["Level", "Why", "Evidence"],
        rows=rows,
        empty="Nothing in the deterministic checks or the review raised the risk.",
    )


def changes_section(audit: AuditReport) -> Section:
    """Commits, contributors and files of the range."""
    c = audit.changes
    people = ", ".join(f"{p.name} ({p.commits})" for p in c.contributors[:MAX_CONTRIBUTORS])
    if len(c.contributors) > MAX_CONTRIBUTORS:
        people += f" and {len(c.contributors) - MAX_CONTRIBUTORS} more"
    paragraphs = [f"Contributors: {people}." if people else "No contributors in the range."]
    if len(c.files) > MAX_FILE_ROWS:
        paragraphs.append(
            f"{len(c.files)} files changed; the {MAX_FILE_ROWS} with the most changed lines are "
            "shown (the JSON report lists all)."
        )
    items = list(
        f"{commit.sha[:8]} {commit.subject} — {commit.author}" for commit in c.commits[:50]
    )
    if len(c.commits) > 50:
        items.append(f"… and {len(c.commits) - 50} older commits.")
    rows: list[list[Cell]] = []
    shown = c.files
    if len(shown) > MAX_FILE_ROWS:
        keep = {id(f) for f in sorted(shown, key=lambda f: -(f.added + f.removed))[:MAX_FILE_ROWS]}
        shown = [f for f in c.files if id(f) in keep]  # in path order, like the full list
    for f in shown:
        name = f"{f.old_path} → {f.path}" if f.old_path else f.path
        rows.append(
            [
                Code(name),
                f.status,
                "binary" if f.binary else f"+{f.added}",
                "" if f.binary else f"-{f.removed}",
            ]
        )
    return Section(
        "changes",
        paragraphs,
        items,
        headers=["File", "Status", "Added", "Removed"],
        rows=rows,
        empty="No files changed.",
    )


def api_section(audit: AuditReport) -> Section:
    """Public symbols added, removed, or with a changed signature."""
    rows: list[list[Cell]] = []
    for a in audit.api:
        where = Code(f"{a.path}:{a.line}" if a.line else a.path)
        if a.change in ("signature", "annotations"):
            detail: Cell = Code(f"{a.old_signature}  →  {a.new_signature}")
        else:
            detail = Code(a.new_signature or a.old_signature or "")
        rows.append([a.change, a.kind, Code(a.name), where, detail])
    paragraphs = [audit.api_note] if audit.api_note else []
    return Section(
        "api",
        paragraphs,
        headers=["Change", "Kind", "Symbol", "Where", "Signature"],
        rows=rows,
        empty="No public API changes.",
    )


def dependency_section(audit: AuditReport) -> Section:
    """Dependencies added, removed, upgraded or downgraded, per manifest and lock file."""
    declared = [d for d in audit.dependencies if d.group != "lock"]
    locked = [d for d in audit.dependencies if d.group == "lock"]
    shown = declared + locked[:MAX_LOCK_ROWS]
    rows: list[list[Cell]] = [
        [Code(d.file), d.group, Code(d.name), d.change, Code(d.old or ""), Code(d.new or "")]
        for d in shown
    ]
    paragraphs = []
    if len(locked) > MAX_LOCK_ROWS:
        paragraphs.append(
            f"{len(locked)} locked versions changed; the first {MAX_LOCK_ROWS} are shown "
            "(the JSON report lists all)."
        )
    return Section(
        "dependencies",
        paragraphs,
        headers=["File", "Group", "Package", "Change", "Before", "After"],
        rows=rows,
        empty="No dependency changes.",
    )


def marker_section(audit: AuditReport) -> Section:
    """TODO / FIXME / XXX markers in the added lines."""
    rows: list[list[Cell]] = [
        [Code(f"{m.path}:{m.line}"), m.marker, Code(m.text)] for m in audit.markers
    ]
    return Section(
        "markers", headers=["Where", "Marker", "Line"], rows=rows, empty="No new markers."
    )


def test_gap_section(audit: AuditReport) -> Section:
    """Source files changed while no test file with a matching name changed."""
    rows: list[list[Cell]] = [
        [Code(g.path), g.status, f"+{g.added} / -{g.removed}"] for g in audit.test_gaps
    ]
    tests = sum(1 for f in audit.changes.files if is_test_file(f.path))
    intro = (
        f"{_n(tests, 'test file')} changed in the range"
        + (" — none at all." if not tests else ".")
        + " A source file counts as tested when a changed test file's name contains its name "
        "(test_parser.py, parser_test.go, parser.spec.ts for parser.*)."
    )
    return Section(
        "test-gaps",
        [intro],
        headers=["File", "Status", "Lines"],
        rows=rows,
        empty="Every changed source file has a matching test change.",
    )


def audit_sections(audit: AuditReport) -> list[Section]:
    """The audit's own sections in report order (the review's findings, coverage, cost follow)."""
    return [
        summary_section(audit),
        changes_section(audit),
        api_section(audit),
        dependency_section(audit),
        marker_section(audit),
        test_gap_section(audit),
    ]
