"""A sample Report with every kind of content the renderers must show."""

from __future__ import annotations

import pytest

from repoagent.findings.model import (
    CoverageFile,
    Finding,
    Fix,
    Report,
    RoleUsage,
    UnlocatedFinding,
)


def sample_findings() -> list[Finding]:
    """Findings of several severities and categories, with every fix status."""
    return [
        Finding(
            path="src/paths.py",
            quote="    return open(os.path.join(root, name)).read()",
            severity="high",
            category="security",
            title="User-supplied name can escape the root directory",
            explanation="`name` comes from the request and may contain `..`; see handler.py:12.",
            start_line=14,
            end_line=14,
            start_column=5,
            end_column=50,
            fix=Fix(
                replacement="    return safe_join(root, name).read_text()",
                status="verified",
                reason="tests pass after the fix (3 passed)",
                diff="--- a/src/paths.py\n+++ b/src/paths.py\n@@ -14 +14 @@\n-    return open(os.path.join(root, name)).read()\n+    return safe_join(root, name).read_text()\n",
            ),
        ).with_fingerprint(),
        Finding(
            path="src/stats.py",
            quote="    for i in range(len(xs) + 1):\n        total += xs[i]",
            severity="critical",
            category="correctness",
            title="Off-by-one: loop reads past the end of the list",
            explanation="The range includes len(xs); xs[len(xs)] raises IndexError.",
            start_line=3,
            end_line=4,
            fix=Fix(
                replacement="    for i in range(len(xs)):\n        total += xs[i]", status="applies"
            ),
        ).with_fingerprint(),
        Finding(
            path="src/io.py",
            quote="f = open(path)",
            severity="medium",
            category="resource-leak",
            title="File handle is never closed",
            start_line=7,
            end_line=7,
            fix=Fix(
                replacement="with open(path) as f:",
                status="rejected",
                reason="new syntax errors: 1",
            ),
        ).with_fingerprint(),
        Finding(
            path="src/util.py",
            quote="x = 1",
            severity="info",
            category="maintainability",
            title="Unused variable",
            start_line=2,
            end_line=2,
        ).with_fingerprint(),
    ]


def make_report(**overrides: object) -> Report:
    """The sample report, with fields replaced by ``overrides``."""
    fields: dict[str, object] = {
        "repository": "demo",
        "revision": "0123456789abcdef0123456789abcdef01234567",
        "base": "fedcba9876543210fedcba9876543210fedcba98",
        "run_id": "run-42",
        "findings": sample_findings(),
        "unlocated": [
            UnlocatedFinding(
                finding=Finding(path="src/ghost.py", quote="does_not_exist()", title="Ghost call"),
                reason="quote not found in src/ghost.py",
            )
        ],
        "coverage": [
            CoverageFile(path="src/paths.py", level="full", tokens=120, reason="changed"),
            CoverageFile(path="src/stats.py", level="full", tokens=80, reason="changed"),
            CoverageFile(path="src/util.py", level="outline", tokens=30, reason="related"),
            CoverageFile(path="docs/guide.md", level="listed", tokens=0, reason="low relevance"),
            CoverageFile(path="assets/logo.png", level=None, reason="binary"),
            CoverageFile(path="vendor/big.js", level=None, reason="budget"),
        ],
        "usage": [
            RoleUsage(
                role="scout",
                model="llama-4-scout",
                calls=1,
                prompt_tokens=12000,
                completion_tokens=800,
                cached_tokens=0,
                cost=0.0021,
            ),
            RoleUsage(
                role="maverick",
                model="llama-4-maverick",
                calls=9,
                prompt_tokens=40000,
                completion_tokens=3000,
                cached_tokens=30000,
                cost=0.0153,
            ),
        ],
        "turns": 10,
        "stopped_by": None,
        "notes": ["Scout replied without tool calls; Maverick reviewed the top-ranked files."],
    }
    fields.update(overrides)
    return Report.model_validate(fields)


@pytest.fixture
def report() -> Report:
    """The sample report."""
    return make_report()
