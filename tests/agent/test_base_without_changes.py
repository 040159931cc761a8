"""`review --base REV` on a branch with no changes since the merge base costs no model call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git

from repoagent.findings.model import Report
from repoagent.testing import ScriptedLLMServer


def test_no_changes_since_the_base_means_nothing_to_review(
    planted: git.Repo, review: Callable[..., Report], server: ScriptedLLMServer
) -> None:
    report = review(str(Path(planted.working_tree_dir or ".")), base="HEAD")
    assert not server.chat_requests
    assert report.findings == []
    assert any("No changes since the merge base with HEAD" in n for n in report.notes)
