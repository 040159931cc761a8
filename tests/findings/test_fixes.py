"""Proposed fixes: applied in memory or a scratch copy, parsed, tested, labelled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git

from repoagent.findings.fixes import apply_fix
from repoagent.findings.model import Finding, Fix
from repoagent.findings.verify import verify_findings

OFF_BY_ONE = "return items[start : start + size + 1]"
LEAK = 'f = open(path, encoding="utf-8")\n    return len(f.readlines())'


def fixed(path: str, quote: str, replacement: str, **kw: object) -> Finding:
    return Finding(path=path, quote=quote, title="t", fix=Fix(replacement=replacement), **kw)  # type: ignore[arg-type]


def root(repo: git.Repo) -> str:
    return repo.working_tree_dir or ""


def test_fix_that_applies_gets_a_diff(planted_repo: git.Repo) -> None:
    (f,), _ = verify_findings(
        [
            fixed(
                "notebox/store.py",
                LEAK,
                'with open(path, encoding="utf-8") as f:\n    return len(f.readlines())',
            )
        ],
        root(planted_repo),
        "HEAD",
    )
    assert f.fix is not None and f.fix.status == "applies", f.fix
    assert f.fix.diff.startswith("--- a/notebox/store.py\n+++ b/notebox/store.py\n")
    assert (
        '+    with open(path, encoding="utf-8") as f:\n+        return len(f.readlines())'
        in f.fix.diff
    )


def test_fix_that_changes_nothing_is_rejected(planted_repo: git.Repo) -> None:
    (f,), _ = verify_findings(
        [fixed("notebox/paging.py", OFF_BY_ONE, OFF_BY_ONE)], root(planted_repo), "HEAD"
    )
    assert f.fix is not None and f.fix.status == "rejected"
    assert "changes nothing" in f.fix.reason


def test_fix_that_breaks_syntax_is_rejected(planted_repo: git.Repo) -> None:
    (f,), _ = verify_findings(
        [fixed("notebox/paging.py", OFF_BY_ONE, "return items[start : start + size")],
        root(planted_repo),
        "HEAD",
    )
    assert f.fix is not None and f.fix.status == "rejected"
    assert "syntax error" in f.fix.reason or "does not parse" in f.fix.reason
    assert f.fix.diff  # shown so a reader can see what was wrong


def test_partial_line_quote_replaces_only_the_span() -> None:
    text = "x = compute(a, b) + 1\n"
    finding = Finding(
        path="m.py",
        quote="compute(a, b)",
        title="t",
        start_line=1,
        end_line=1,
        start_column=5,
        end_column=18,
        fix=Fix(replacement="compute(b, a)"),
    )
    assert apply_fix(text, finding) == "x = compute(b, a) + 1\n"


def test_off_by_one_fix_is_verified_by_tests(
    planted_repo: git.Repo, digest: Callable[[Path], str]
) -> None:
    work = Path(root(planted_repo))
    (work / "notebox/__init__.py").write_text(
        '"""uncommitted edit"""\n' + (work / "notebox/__init__.py").read_text()
    )
    (work / "scratch_note.txt").write_text("untracked\n")
    before = digest(work)
    good = fixed(
        "notebox/paging.py", OFF_BY_ONE, "return items[start : start + size]", line_hint=99
    )
    bad = fixed("notebox/paging.py", "if number < 1:", "if number < 0:", category="bounds")
    for rev in ("HEAD", None):
        located, _ = verify_findings([good, bad], work, rev, run_tests=True)
        by_quote = {f.quote: f for f in located}
        verified = by_quote[OFF_BY_ONE].fix
        assert verified is not None and verified.status == "verified", verified
        assert "test_page_has_at_most_size_items" in verified.reason
        broken = by_quote["if number < 1:"].fix
        assert broken is not None and broken.status == "rejected", broken
        assert "test_page_numbers_start_at_one" in broken.reason
    assert digest(work) == before


def test_fenced_replacement_with_line_numbers_is_cleaned(planted_repo: git.Repo) -> None:
    replacement = "```python\n16 |     return items[start : start + size]\n```"
    (f,), _ = verify_findings(
        [fixed("notebox/paging.py", OFF_BY_ONE, replacement)], root(planted_repo), "HEAD"
    )
    assert f.fix is not None and f.fix.status == "applies", f.fix
    assert "+    return items[start : start + size]\n" in f.fix.diff


def test_open_end_column_replaces_the_whole_last_line() -> None:
    """A finding built without columns (end_column left at 1) replaces its lines, not glues."""
    from repoagent.findings.fixes import fix_candidates
    from repoagent.findings.model import Finding, Fix

    finding = Finding(
        path="a.py",
        quote="    return x + 1",
        title="t",
        start_line=2,
        end_line=2,
        fix=Fix(replacement="    return x + 2", status="applies"),
    )
    text = "def f(x):\n    return x + 1\n"
    assert fix_candidates(text, finding)[0] == "def f(x):\n    return x + 2\n"
