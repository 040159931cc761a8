"""JSON view of a Report: a versioned, documented document (schema in ``report.schema.json``).

The document is deterministic (no timestamps, fixed key order) so it can be diffed across runs.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from repoagent import __version__
from repoagent.findings.model import Report
from repoagent.report.summary import (
    coverage_summary,
    is_complete,
    not_covered,
    severity_counts,
    sorted_findings,
    verdict,
)

#: Bumped on any incompatible change of the document's shape.
SCHEMA_VERSION = "1.0"


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) the JSON report document conforms to."""
    text = resources.files("repoagent.report").joinpath("report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def report_document(report: Report) -> dict[str, Any]:
    """The report as a plain JSON-ready dict with ``schema_version``."""
    cov = coverage_summary(report)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "repoagent", "version": __version__},
        "repository": report.repository,
        "revision": report.revision,
        "base": report.base,
        "run_id": report.run_id,
        "summary": {
            "verdict": verdict(report),
            "complete": is_complete(report),
            "not_covered": not_covered(report),
            "findings": len(report.findings),
            "by_severity": severity_counts(report.findings),
            "unlocated": len(report.unlocated),
        },
        "findings": [f.model_dump(mode="json") for f in sorted_findings(report.findings)],
        "unlocated": [u.model_dump(mode="json") for u in report.unlocated],
        "coverage": {
            "full": cov.full,
            "outline": cov.outline,
            "listed": cov.listed,
            "left_out": cov.left_out,
            "left_out_by_reason": cov.left_out_by_reason,
            "files": [c.model_dump(mode="json") for c in report.coverage],
        },
        "usage": {
            "roles": [u.model_dump(mode="json") for u in report.usage],
            "total_cost": round(report.total_cost, 6),
            "turns": report.turns,
            "stopped_by": report.stopped_by,
        },
        "notes": list(report.notes),
    }


def render_json(report: Report) -> str:
    """The report document as indented JSON text ending in a newline."""
    return json.dumps(report_document(report), indent=2, ensure_ascii=False) + "\n"


def report_from_document(doc: dict[str, Any]) -> Report:
    """Rebuild a Report from a JSON report document (or a plain ``Report`` dump)."""
    if "schema_version" not in doc:
        return Report.model_validate(doc)
    if str(doc["schema_version"]).split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported report schema_version {doc['schema_version']!r}")
    usage = doc.get("usage") or {}
    return Report.model_validate(
        {
            "repository": doc.get("repository", ""),
            "revision": doc.get("revision", ""),
            "base": doc.get("base"),
            "run_id": doc.get("run_id", ""),
            "findings": doc.get("findings", []),
            "unlocated": doc.get("unlocated", []),
            "coverage": (doc.get("coverage") or {}).get("files", []),
            "usage": usage.get("roles", []),
            "turns": usage.get("turns", 0),
            "stopped_by": usage.get("stopped_by"),
            "notes": doc.get("notes", []),
        }
    )
