"""SARIF 2.1.0 view of a Report, shaped for GitHub code scanning.

One rule per finding category (stable id ``repoagent/<category>``); results carry a relative uri,
a full region, ``partialFingerprints.primaryLocationLineHash`` from the finding fingerprint (so
alerts keep their identity across runs), ``level`` from severity and ``security-severity`` for
security findings (GitHub reads it from the rule, we set it on both). Proven fixes become SARIF
``fixes``. Output is deterministic: the same report gives the same bytes.
Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
GitHub: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from repoagent import __version__
from repoagent.findings.model import Finding, Report, severity_rank
from repoagent.report.summary import PROVEN_FIX_STATUSES, is_complete, not_covered, sorted_findings

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
#: GitHub maps >9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}

#: Descriptions of the categories the prompts ask for; unknown categories get a generic rule.
CATEGORY_HELP = {
    "correctness": "Code that does not do what it evidently intends: wrong results, off-by-one errors, broken conditions.",
    "security": "Code that lets an attacker read, change or run what they should not: injection, path traversal, unsafe deserialisation, secrets.",
    "reliability": "Code that fails under ordinary conditions: unhandled errors, crashes on edge cases, missing timeouts.",
    "resource-leak": "Files, sockets, locks or processes that are opened and not released on every path.",
    "concurrency": "Races, deadlocks and shared state accessed without synchronisation.",
    "performance": "Work that grows much faster than it needs to, or repeats expensive operations.",
    "error-handling": "Errors swallowed, reported misleadingly, or handled at the wrong level.",
    "maintainability": "Code that is hard to change safely: duplication, dead code, misleading names.",
    "api-misuse": "A library or system API called in a way its documentation says is wrong.",
    "testing": "Tests that do not test what they claim, or gaps that let a defect through.",
    "documentation": "Documentation that contradicts the code.",
}


def rule_id(category: str) -> str:
    """Stable SARIF rule id for a finding category."""
    slug = re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-") or "other"
    return f"repoagent/{slug}"


def _rule(category: str, findings: list[Finding]) -> dict[str, Any]:
    title = category.replace("-", " ").replace("_", " ").strip().capitalize() or "Other"
    full = CATEGORY_HELP.get(
        rule_id(category).split("/", 1)[1], f"Problems in the category '{category}'."
    )
    worst = min((f.severity for f in findings), key=severity_rank)
    properties: dict[str, Any] = {"tags": sorted({category, "repoagent"})}
    if _is_security(category):
        properties["tags"] = sorted({*properties["tags"], "security"})
        properties["security-severity"] = SECURITY_SEVERITY.get(worst, "5.5")
    return {
        "id": rule_id(category),
        "name": "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", category) if w)
        or "Other",
        "shortDescription": {"text": f"{title} problem"},
        "fullDescription": {"text": full},
        "help": {
            "text": f"{full} repoagent anchors each finding to the quoted code and checks proposed fixes in a scratch worktree.",
            "markdown": f"**{title}.** {full}\n\nrepoagent anchors each finding to the quoted code and checks proposed fixes in a scratch worktree.",
        },
        "defaultConfiguration": {"level": LEVELS.get(worst, "warning")},
        "properties": properties,
    }


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference (spaces, ``#``, non-ASCII percent-encoded)."""
    return quote(path, safe="/")


def _is_security(category: str) -> bool:
    return "secur" in category.lower()


def _region(finding: Finding) -> dict[str, Any]:
    start = max(finding.start_line, 1)
    end = max(finding.end_line, start)
    last_line = (finding.quote.splitlines() or [""])[-1]
    end_column = finding.end_column
    start_column = max(finding.start_column, 1)
    if end_column <= 1 or (end == start and end_column <= start_column):
        # The verifier left the end open: cover the quote's last line.
        end_column = len(last_line) + 1
        if end == start:
            end_column = max(end_column, start_column + 1)
    return {
        "startLine": start,
        "startColumn": start_column,
        "endLine": end,
        "endColumn": end_column,
        "snippet": {"text": finding.quote},
    }


def _location(finding: Finding) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": "%SRCROOT%"},
            "region": _region(finding),
        }
    }


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    fix = finding.fix
    if fix is None or fix.status not in PROVEN_FIX_STATUSES or finding.start_line <= 0:
        return []
    start, end = finding.start_line, max(finding.end_line, finding.start_line)
    return [
        {
            "description": {"text": f"Replace lines {start}-{end} ({fix.status})."},
            "artifactChanges": [
                {
                    "artifactLocation": {
                        "uri": artifact_uri(finding.path),
                        "uriBaseId": "%SRCROOT%",
                    },
                    # Whole lines: from column 1 of the first to column 1 of the line after the last.
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": start,
                                "startColumn": 1,
                                "endLine": end + 1,
                                "endColumn": 1,
                            },
                            "insertedContent": {
                                "text": fix.replacement
                                if fix.replacement.endswith("\n")
                                else fix.replacement + "\n"
                            },
                        }
                    ],
                }
            ],
        }
    ]


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    text = finding.title.strip()
    if finding.explanation:
        text += "\n\n" + finding.explanation.strip()
    result: dict[str, Any] = {
        "ruleId": rule_id(finding.category),
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": text},
        "locations": [_location(finding)],
        "partialFingerprints": {"primaryLocationLineHash": finding.fingerprint or "unknown"},
        "properties": {"severity": finding.severity, "category": finding.category},
    }
    if _is_security(finding.category):
        result["properties"]["security-severity"] = SECURITY_SEVERITY.get(finding.severity, "5.5")
    if finding.fix is not None:
        result["properties"]["fix-status"] = finding.fix.status
    fixes = _fixes(finding)
    if fixes:
        result["fixes"] = fixes
    return result


def sarif_document(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (a dict)."""
    findings = [f for f in sorted_findings(report.findings) if f.start_line > 0]
    categories = sorted({f.category for f in findings})
    rules = [_rule(c, [f for f in findings if f.category == c]) for c in categories]
    index = {c: i for i, c in enumerate(categories)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "repoagent",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "automationDetails": {"id": "repoagent/"},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.category]) for f in findings],
        "properties": {
            "revision": report.revision,
            "base": report.base,
            "complete": is_complete(report),
            "notCovered": not_covered(report),
            "unlocatedFindings": len(report.unlocated),
        },
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report) -> str:
    """The SARIF log as indented JSON text (same report, same bytes)."""
    return json.dumps(sarif_document(report), indent=2, ensure_ascii=False) + "\n"
