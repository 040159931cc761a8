"""verify_findings: anchored, fingerprinted, merged; the rest listed with reasons."""

from __future__ import annotations

from pathlib import Path

import git

from repoagent.findings.model import Finding, Fix, fingerprint
from repoagent.findings.verify import verify_findings

OFF_BY_ONE = "return items[start : start + size + 1]"


def finding(**kw: object) -> Finding:
    base: dict[str, object] = {
        "path": "notebox/paging.py",
        "quote": OFF_BY_ONE,
        "title": "off by one",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def root(repo: git.Repo) -> str:
    return repo.working_tree_dir or ""


def test_wrong_line_hint_resolves_to_the_right_lines(planted_repo: git.Repo) -> None:
    located, unlocated = verify_findings([finding(line_hint=3)], root(planted_repo), "HEAD")
    assert unlocated == []
    (f,) = located
    assert (f.start_line, f.end_line, f.start_column) == (16, 16, 5)
    assert f.fingerprint == fingerprint("correctness", "notebox/paging.py", OFF_BY_ONE)


def test_quote_that_does_not_exist_is_unlocated_with_reason(planted_repo: git.Repo) -> None:
    result = verify_findings(
        [
            finding(quote="return items[start:end]"),
            finding(path="notebox/nothing.py"),
            finding(path="../etc/passwd"),
            finding(quote="\n".join(["x = 1"] * 12)),
        ],
        root(planted_repo),
        "HEAD",
    )
    assert result.findings == []
    reasons = [u.reason for u in result.unlocated]
    assert "does not occur in the file" in reasons[0]
    assert reasons[1].startswith("no file 'notebox/nothing.py'")
    assert "leaves the repository" in reasons[2]
    assert "1–10 lines" in reasons[3]


def test_sloppy_paths_are_resolved(planted_repo: git.Repo) -> None:
    located, _ = verify_findings(
        [
            finding(path="paging.py"),
            finding(path="a/notebox/paging.py", category="bug"),
            finding(path="notebox/paging.py:16", category="style"),
        ],
        root(planted_repo),
        "HEAD",
    )
    assert [f.path for f in located] == ["notebox/paging.py"] * 3


def test_duplicates_merge_keeping_highest_severity(planted_repo: git.Repo) -> None:
    located, _ = verify_findings(
        [
            finding(severity="low", reported_by=["scout"], line_hint=16),
            finding(
                quote="return  items[start : start + size + 1]",
                severity="high",
                reported_by=["maverick"],
            ),
            finding(
                severity="medium",
                reported_by=["scout"],
                fix=Fix(replacement="return items[start : start + size]"),
            ),
        ],
        root(planted_repo),
        "HEAD",
    )
    (merged,) = located
    assert merged.severity == "high"
    assert merged.reported_by == ["scout", "maverick"]
    assert merged.fix is not None and merged.fix.status == "applies"


def test_revision_and_work_tree_are_verified_separately(planted_repo: git.Repo) -> None:
    paging = Path(root(planted_repo)) / "notebox/paging.py"
    paging.write_text(
        paging.read_text().replace(OFF_BY_ONE, "return items[start : start + size]  # fixed")
    )
    edited = finding(quote="start + size]  # fixed")
    at_head = verify_findings([edited, finding()], root(planted_repo), "HEAD")
    in_tree = verify_findings([edited, finding()], root(planted_repo), None)
    assert [f.quote for f in at_head.findings] == [OFF_BY_ONE]
    assert [f.quote for f in in_tree.findings] == ["start + size]  # fixed"]
