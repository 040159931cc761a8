"""SARIF 2.1.0: valid against the OASIS schema, what code scanning needs, byte-stable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from repoagent import __version__
from repoagent.findings.model import Finding, Report
from repoagent.report import render_report

from .conftest import make_report, sample_findings

DATA = Path(__file__).parent.parent / "data"
GOLDEN = Path(__file__).parent / "golden"


def sarif_schema() -> dict:  # type: ignore[type-arg]
    return json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))


def validate(log: dict) -> None:  # type: ignore[type-arg]
    jsonschema.validate(log, sarif_schema(), cls=jsonschema.Draft4Validator)


def test_sarif_validates_and_has_code_scanning_fields(report: Report) -> None:
    log = json.loads(render_report(report, "sarif"))
    validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "repoagent/correctness",
        "repoagent/maintainability",
        "repoagent/resource-leak",
        "repoagent/security",
    ]
    for rule in rules:
        assert (
            rule["shortDescription"]["text"]
            and rule["fullDescription"]["text"]
            and rule["help"]["text"]
        )
    security_rule = rules[3]
    assert security_rule["properties"]["security-severity"] == "8.0"
    assert "security" in security_rule["properties"]["tags"]
    results = {r["ruleId"]: r for r in run["results"]}
    sec = results["repoagent/security"]
    assert sec["level"] == "error"
    assert sec["properties"]["security-severity"] == "8.0"
    assert sec["partialFingerprints"]["primaryLocationLineHash"] == sample_findings()[0].fingerprint
    loc = sec["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/paths.py"
    assert loc["region"] == {
        "startLine": 14,
        "startColumn": 5,
        "endLine": 14,
        "endColumn": 50,
        "snippet": {"text": "    return open(os.path.join(root, name)).read()"},
    }
    assert sec["message"]["text"].startswith("User-supplied name")
    # Only proven fixes (verified/applies) become SARIF fixes.
    assert "fixes" in sec and "fixes" in results["repoagent/correctness"]
    assert "fixes" not in results["repoagent/resource-leak"]
    assert results["repoagent/maintainability"]["level"] == "note"
    assert "security-severity" not in results["repoagent/correctness"]["properties"]


def test_full_region_when_verifier_left_columns_open() -> None:
    finding = Finding(
        path="a.py", quote="def f():\n    return 1", title="t", start_line=3, end_line=4
    ).with_fingerprint()
    log = json.loads(render_report(make_report(findings=[finding]), "sarif"))
    validate(log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        3,
        1,
        4,
        13,
    )


def test_unlocated_findings_are_not_results() -> None:
    log = json.loads(render_report(make_report(findings=[]), "sarif"))
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["properties"]["unlocatedFindings"] == 1


def test_sarif_is_byte_stable_golden(report: Report) -> None:
    shuffled = make_report(findings=list(reversed(sample_findings())))
    text = render_report(report, "sarif")
    assert render_report(shuffled, "sarif") == text
    _golden("sample.sarif", text)


def test_json_golden(report: Report) -> None:
    _golden("sample.json", render_report(report, "json"))


def _golden(name: str, text: str) -> None:
    # The tool version is not part of the format: a release must not break the golden files.
    text = text.replace(f'"{__version__}"', '"VERSION"')
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, "utf-8")
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"wrote new golden file {path}; review it and re-run")
    assert text == path.read_text("utf-8"), (
        f"{name} changed; review, then re-run with UPDATE_GOLDEN=1"
    )


def test_uris_of_paths_with_spaces_and_non_ascii_are_percent_encoded() -> None:
    # SARIF §3.4.3: artifactLocation.uri is a URI reference, so no raw spaces (CodeQL encodes).
    finding = Finding(
        path="src/sp ace é#1.py", quote="x = 1", title="t", start_line=1, end_line=1
    ).with_fingerprint()
    log = json.loads(render_report(make_report(findings=[finding]), "sarif"))
    validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/sp%20ace%20%C3%A9%231.py"
