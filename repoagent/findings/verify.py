"""Verify findings before anyone sees them: anchor quotes to real lines, fingerprint, merge
duplicates, and check proposed fixes (see :mod:`repoagent.findings.fixes`).

A finding whose path does not exist or whose quote is not in the file is not shown as anchored;
it becomes an :class:`~repoagent.findings.model.UnlocatedFinding` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from repoagent.errors import ToolError
from repoagent.findings.anchor import Anchor, AnchorMiss, clean_quote, resolve_anchor
from repoagent.findings.fixes import check_fixes
from repoagent.findings.model import Finding, UnlocatedFinding, severity_rank
from repoagent.toolbox.snapshot import Snapshot

__all__ = [
    "Anchor",
    "AnchorMiss",
    "VerifyResult",
    "locate_path",
    "merge_duplicates",
    "merge_unlocated",
    "resolve_anchor",
    "verify_findings",
]


class VerifyResult(NamedTuple):
    """Verified findings; unpacks as ``(located, unlocated)``."""

    findings: list[Finding]
    """Anchored, fingerprinted, de-duplicated findings with checked fixes."""
    unlocated: list[UnlocatedFinding]
    """Findings that could not be anchored, each with the reason."""


def locate_path(snapshot: Snapshot, path: str) -> str:
    """Return the repository path a finding names, tolerating ``a/``/``./`` prefixes; else raise."""
    try:
        return snapshot.resolve(path)
    except ToolError as first:
        if (
            "leaves the repository" in str(first)
            or "absolute" in str(first)
            or "symlink" in str(first)
        ):
            raise
        files = snapshot.files()
        cleaned = re.sub(r":\d+(?:-\d+)?:?$", "", path.strip().replace("\\", "/"))
        if cleaned != path.strip() and cleaned in snapshot.entries():
            return snapshot.resolve(cleaned)  # `path:line` copied from grep output
        for prefix in ("a/", "b/", "./", snapshot.root.name + "/"):
            if cleaned.startswith(prefix) and cleaned[len(prefix) :] in snapshot.entries():
                return snapshot.resolve(cleaned[len(prefix) :])
        # An invented leading directory (`src/pkg/a.py` for `pkg/a.py`): drop leading parts.
        parts = cleaned.strip("/").split("/")
        for i in range(1, len(parts) - 1):
            shorter = "/".join(parts[i:])
            if shorter in snapshot.entries():
                return snapshot.resolve(shorter)
        suffix = "/" + cleaned.lstrip("/")
        candidates = [f for f in files if f.endswith(suffix)]
        if len(candidates) == 1:
            return snapshot.resolve(candidates[0])
        if len(candidates) > 1:
            raise ToolError(f"{path!r} is ambiguous: {', '.join(candidates[:5])}") from None
        raise ToolError(f"no file {path!r} in the {snapshot.label}") from None


def anchor_finding(snapshot: Snapshot, finding: Finding) -> Finding | UnlocatedFinding:
    """Resolve one finding's path and quote to real lines, or say why it cannot be."""
    try:
        path = locate_path(snapshot, finding.path)
        _, text = snapshot.read_text(path)
    except ToolError as exc:
        return UnlocatedFinding(finding=finding, reason=str(exc))
    anchor = resolve_anchor(text, finding.quote, finding.line_hint)
    if isinstance(anchor, AnchorMiss):
        return UnlocatedFinding(finding=finding, reason=f"{path}: {anchor.reason}")
    return finding.model_copy(
        update={
            "path": path,
            "quote": anchor.text,
            "start_line": anchor.start_line,
            "end_line": anchor.end_line,
            "start_column": anchor.start_column,
            "end_column": anchor.end_column,
        }
    ).with_fingerprint()


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """Merge findings with the same fingerprint: highest severity wins, ``reported_by`` unites."""
    merged: dict[str, Finding] = {}
    for finding in findings:
        key = finding.fingerprint or finding.with_fingerprint().fingerprint
        seen = merged.get(key)
        if seen is None:
            merged[key] = finding
            continue
        keep, other = (
            (finding, seen)
            if severity_rank(finding.severity) < severity_rank(seen.severity)
            else (seen, finding)
        )
        update: dict[str, object] = {
            "reported_by": list(dict.fromkeys([*seen.reported_by, *finding.reported_by]))
        }
        if keep.fix is None and other.fix is not None:
            update["fix"] = other.fix
        merged[key] = keep.model_copy(update=update)
    return list(merged.values())


def merge_unlocated(unlocated: Iterable[UnlocatedFinding]) -> list[UnlocatedFinding]:
    """Merge unlocated findings with the same path and quote (whitespace aside), keeping the
    first reason and the worse severity; two investigations often report the same miss."""
    merged: dict[tuple[str, str], UnlocatedFinding] = {}
    for item in unlocated:
        key = (item.finding.path.strip(), " ".join(item.finding.quote.split()))
        seen = merged.get(key)
        if seen is None:
            merged[key] = item
            continue
        worse = item.finding if _worse(item.finding, seen.finding) else seen.finding
        update = {
            "severity": worse.severity,
            "reported_by": list(
                dict.fromkeys([*seen.finding.reported_by, *item.finding.reported_by])
            ),
        }
        merged[key] = seen.model_copy(update={"finding": seen.finding.model_copy(update=update)})
    return list(merged.values())


def _worse(finding: Finding, than: Finding) -> bool:
    return severity_rank(finding.severity) < severity_rank(than.severity)


def verify_findings(
    findings: Iterable[Finding],
    root: Path | str | Snapshot,
    rev: str | None = None,
    *,
    run_tests: bool = False,
    test_command: str | Sequence[str] | None = None,
    test_timeout: float = 300.0,
    check_fix: bool = True,
) -> VerifyResult:
    """Anchor, fingerprint and de-duplicate findings, then check their fixes.

    ``root`` is the repository (or a :class:`Snapshot` already open); ``rev`` the reviewed
    revision (``None`` = the working tree). Returns ``VerifyResult(findings, unlocated)``,
    which also unpacks as ``located, unlocated``.
    """
    snapshot = root if isinstance(root, Snapshot) else Snapshot(root, rev)
    located: list[Finding] = []
    quotes: dict[str, str] = {}
    unlocated: list[UnlocatedFinding] = []
    for finding in findings:
        result = anchor_finding(snapshot, finding)
        if isinstance(result, UnlocatedFinding):
            unlocated.append(result)
            continue
        located.append(result)
        quotes.setdefault(result.fingerprint, clean_quote(finding.quote).text)
    located = merge_duplicates(located)
    unlocated = merge_unlocated(unlocated)
    if check_fix and any(f.fix is not None for f in located):
        located = check_fixes(
            located,
            snapshot,
            model_quotes=[quotes.get(f.fingerprint) for f in located],
            run_tests=run_tests,
            test_command=test_command,
            test_timeout=test_timeout,
        )
    return VerifyResult(located, unlocated)
