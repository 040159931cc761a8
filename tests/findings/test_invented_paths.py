"""Models invent leading directories (`src/`, the project name); the quote still anchors."""

from __future__ import annotations

import git

from repoagent.findings.model import Finding
from repoagent.findings.verify import verify_findings


def test_an_invented_leading_directory_is_dropped(planted_repo: git.Repo) -> None:
    findings = [
        Finding(
            path=path,
            quote="return items[start : start + size + 1]",
            title="off by one",
            category=category,
        )
        for path, category in [
            ("src/notebox/paging.py", "a"),
            ("lib/python/notebox/paging.py", "b"),
        ]
    ]
    located, unlocated = verify_findings(findings, planted_repo.working_tree_dir or "", "HEAD")
    assert unlocated == []
    assert [(f.path, f.start_line) for f in located] == [("notebox/paging.py", 16)] * 2


def test_a_file_that_does_not_exist_anywhere_stays_unlocated(planted_repo: git.Repo) -> None:
    finding = Finding(path="src/notebox/missing.py", quote="x = 1", title="t")
    located, unlocated = verify_findings([finding], planted_repo.working_tree_dir or "", "HEAD")
    assert located == [] and "no file" in unlocated[0].reason
