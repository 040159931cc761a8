"""A finding that cannot be located, reported twice (two investigations, or a model that repeats
itself), is listed once, like a located duplicate; different unlocated findings all stay."""

from __future__ import annotations

import git

from repoagent.findings.model import Finding
from repoagent.findings.verify import verify_findings


def finding(**kw: object) -> Finding:
    base: dict[str, object] = {
        "path": "notebox/nothing.py",
        "quote": "return secret",
        "title": "leaks the secret",
        "severity": "medium",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def test_repeated_unlocated_findings_are_listed_once(planted_repo: git.Repo) -> None:
    root = planted_repo.working_tree_dir or ""
    result = verify_findings(
        [
            finding(reported_by=["maverick"]),
            finding(quote="  return   secret\n", severity="high", reported_by=["scout"]),
            finding(path="/etc/passwd", quote="root:x:0:0"),
            finding(path="/etc/passwd", quote="root:x:0:0"),
            finding(path="notebox/nothing.py", quote="something else"),
        ],
        root,
        "HEAD",
    )
    assert result.findings == []
    listed = [(u.finding.path, u.finding.quote) for u in result.unlocated]
    assert listed == [
        ("notebox/nothing.py", "return secret"),
        ("/etc/passwd", "root:x:0:0"),
        ("notebox/nothing.py", "something else"),
    ]
    first = result.unlocated[0].finding
    assert first.severity == "high"  # the worse severity of the two reports wins
    assert first.reported_by == ["maverick", "scout"]
