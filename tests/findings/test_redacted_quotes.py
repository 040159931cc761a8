"""The model only ever sees `[REDACTED:…]` for a secret; a quote holding the marker still
anchors, the report keeps the marker, and a fix carrying the marker is refused."""

from __future__ import annotations

from collections.abc import Callable

import git

from repoagent.findings.model import Finding, Fix
from repoagent.findings.verify import verify_findings

AWS = "AKIAIOSFODNN7EXAMPLE"
SETTINGS = f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS}"\nDEBUG = True\n'


def test_a_quote_with_a_redaction_marker_anchors_without_the_secret(
    make_repo: Callable[..., git.Repo],
) -> None:
    repo = make_repo({"settings.py": SETTINGS})
    quote = 'AWS_ACCESS_KEY_ID = "[REDACTED:AWS Access Key]"'
    findings = [
        Finding(path="settings.py", quote=quote, title="hard-coded key", category="security"),
        Finding(
            path="settings.py",
            quote=quote + "\nDEBUG = True",
            title="key and debug",
            fix=Fix(replacement='AWS_ACCESS_KEY_ID = "[REDACTED:AWS Access Key]"\nDEBUG = False'),
        ),
    ]
    located, unlocated = verify_findings(findings, repo.working_tree_dir or "", "HEAD")
    assert unlocated == []
    by_title = {f.title: f for f in located}
    key, both = by_title["hard-coded key"], by_title["key and debug"]
    assert (key.start_line, key.end_line) == (3, 3)
    assert AWS not in key.quote and "[REDACTED:AWS Access Key]" in key.quote
    assert (both.start_line, both.end_line) == (3, 4)
    assert both.fix is not None and both.fix.status == "rejected"
    assert "REDACTED" in both.fix.reason
