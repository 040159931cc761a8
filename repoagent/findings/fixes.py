"""Check a finding's proposed fix: apply it, prove it changes something and still parses,
and (with tests enabled) run the tests before and after in a scratch copy.

Labels: ``verified`` (tests pass after the fix), ``applies`` (applies and parses),
``rejected`` (with why). The unified diff is stored on the fix either way it applied.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repoagent.errors import RepoAgentError
from repoagent.findings.anchor import clean_quote
from repoagent.findings.model import Finding, Fix
from repoagent.toolbox.scratch import scratch_copy
from repoagent.toolbox.snapshot import Snapshot
from repoagent.toolbox.testrun import TestRun, run_test_command

_INDENT = re.compile(r"^[ \t]*")


class FixRejected(RepoAgentError):
    """A proposed fix cannot be applied as given; the message says why."""


def _indent(line: str) -> str:
    match = _INDENT.match(line)
    return match.group(0) if match else ""


def reindent_candidates(
    replacement: str, model_quote: str, file_lines: Sequence[str]
) -> list[list[str]]:
    """Ways to indent the replacement like the file, most likely first (by how the model quoted).

    Models often drop the first quoted line's indentation and copy the rest verbatim, or dedent
    the whole block; the replacement usually follows the same habit.
    """
    rep = replacement.replace("\r\n", "\n").strip("\n").split("\n")
    quote = clean_quote(model_quote).text.split("\n")
    base = _indent(file_lines[0])
    quoted = _indent(quote[0])
    shift = base[len(quoted) :] if base.startswith(quoted) else ""
    if _indent(rep[0]) == base or not shift or not rep[0].strip():
        return [rep]
    whole = [shift + line if line.strip() else line for line in rep]
    first_only = [shift + rep[0], *rep[1:]]
    others_absolute = len(quote) > 1 and all(
        _indent(q) == _indent(f)
        for q, f in zip(quote[1:], file_lines[1:], strict=False)
        if q.strip()
    )
    ordered = [first_only, whole] if others_absolute else [whole, first_only]
    return [c for i, c in enumerate(ordered) if c not in ordered[:i]] + [rep]


def fix_candidates(text: str, finding: Finding, model_quote: str | None = None) -> list[str]:
    """Return ``text`` with the anchored span replaced by the fix (one text per indentation guess)."""
    if finding.fix is None:
        raise FixRejected("the finding has no proposed replacement")
    if finding.start_line < 1:
        raise FixRejected("the finding is not anchored to lines")
    if "[REDACTED:" in finding.fix.replacement:
        raise FixRejected(
            "the replacement contains a [REDACTED:…] marker (the model never saw the secret); "
            "applying it would write the marker into the code"
        )
    lines = text.splitlines(keepends=True)
    s, e = finding.start_line, finding.end_line
    if e > len(lines):
        raise FixRejected("the anchored lines are past the end of the file")
    first, last = lines[s - 1], lines[e - 1]
    prefix = first[: finding.start_column - 1]
    body_last = last.rstrip("\r\n")
    # end_column 1 is the model's default, "open": the span runs to the end of its last line,
    # as SARIF reads it (taken literally, the old line would stay glued after the fix).
    end_column = finding.end_column if finding.end_column > 1 else len(body_last) + 1
    suffix = body_last[end_column - 1 :]
    ending = last[len(body_last) :]
    # Models wrap replacements in code fences or copy read_file's line numbers; drop both.
    replacement = (
        clean_quote(finding.fix.replacement).text if finding.fix.replacement.strip() else ""
    )
    head, tail = "".join(lines[: s - 1]), "".join(lines[e:])
    if prefix.strip() or suffix.strip():
        # The quote is part of a line: replace exactly the quoted span.
        return [head + prefix + replacement.strip("\n") + suffix + ending + tail]
    if not replacement.strip():
        return [head + tail]  # an empty replacement deletes the quoted lines
    block = [line.rstrip("\r\n") for line in lines[s - 1 : e]]
    eol = "\r\n" if last.endswith("\r\n") else "\n"
    texts = []
    for candidate in reindent_candidates(replacement, model_quote or finding.quote, block):
        new_block = eol.join(candidate) + ending
        texts.append(head + new_block + tail)
    return texts


def apply_fix(text: str, finding: Finding, model_quote: str | None = None) -> str:
    """Return ``text`` with the finding's anchored span replaced by its fix, or raise FixRejected."""
    return fix_candidates(text, finding, model_quote)[0]


def unified_diff(path: str, before: str, after: str) -> str:
    """Return a ``git diff``-style unified diff of one file."""
    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff
    )


def _syntax_errors(path: str, text: str) -> int | None:
    from repoagent.code import syntax_errors

    return syntax_errors(path, text)


def parse_problem(path: str, before: str, after: str) -> str | None:
    """Return why ``after`` parses worse than ``before`` (tree-sitter, plus Python's own parser)."""
    errors_before, errors_after = _syntax_errors(path, before), _syntax_errors(path, after)
    if errors_before is not None and errors_after is not None and errors_after > errors_before:
        return (
            f"the fixed file has {errors_after - errors_before} new syntax error(s) (tree-sitter)"
        )
    if path.endswith((".py", ".pyi")):
        try:
            ast.parse(before)
        except SyntaxError:
            return None  # already broken; tree-sitter's count is the only comparison
        try:
            ast.parse(after)
        except SyntaxError as exc:
            return f"the fixed file does not parse: {exc.msg} at line {exc.lineno}"
    return None


@dataclass
class FixCheck:
    """A fix applied in memory: the new text, or the reason it was rejected."""

    before: str
    after: str | None
    fix: Fix


def check_fix_text(
    path: str, text: str, finding: Finding, model_quote: str | None = None
) -> FixCheck:
    """Apply a fix to ``text`` and check it changes something and parses; no tests run."""
    assert finding.fix is not None
    fix = finding.fix
    try:
        candidates = fix_candidates(text, finding, model_quote)
    except FixRejected as exc:
        return FixCheck(
            text, None, fix.model_copy(update={"status": "rejected", "reason": str(exc)})
        )
    if candidates[0] == text:  # the most likely reading of the replacement
        reason = "the replacement is identical to the quoted code; it changes nothing"
        return FixCheck(text, None, fix.model_copy(update={"status": "rejected", "reason": reason}))
    problems = [parse_problem(path, text, after) for after in candidates]
    best = next((i for i, p in enumerate(problems) if p is None and candidates[i] != text), None)
    if best is None:
        diff = unified_diff(path, text, candidates[0])
        update = {"status": "rejected", "reason": problems[0] or "", "diff": diff}
        return FixCheck(text, None, fix.model_copy(update=update))
    after = candidates[best]
    checked = (
        "parses" if _syntax_errors(path, after) is not None else "syntax not checked (no grammar)"
    )
    update = {
        "status": "applies",
        "reason": f"applies cleanly; {checked}",
        "diff": unified_diff(path, text, after),
    }
    return FixCheck(text, after, fix.model_copy(update=update))


def judge_with_tests(fix: Fix, before: TestRun, after: TestRun) -> Fix:
    """Label a fix from the test runs before and after it was applied."""
    if after.timed_out:
        return fix.model_copy(update={"reason": f"{fix.reason}; tests timed out after the fix"})
    if after.passed:
        if before.passed:
            why = f"tests pass before and after the fix ({after.summary}); no test shows the bug"
        else:
            fixed = ", ".join(before.failed[:3]) or before.summary
            why = f"tests failed before the fix ({fixed}) and pass after ({after.summary})"
        return fix.model_copy(update={"status": "verified", "reason": why})
    new_failures = [t for t in after.failed if t not in before.failed]
    if before.passed or new_failures:
        broken = ", ".join(new_failures[:3]) or after.summary
        return fix.model_copy(
            update={"status": "rejected", "reason": f"tests fail after the fix: {broken}"}
        )
    now_passing = [t for t in before.failed if t not in after.failed]
    extra = f"; now passing: {', '.join(now_passing[:3])}" if now_passing else ""
    why = f"{fix.reason}; tests still fail as before the fix ({after.summary}){extra}"
    return fix.model_copy(update={"status": "applies", "reason": why})


def check_fixes(
    findings: Sequence[Finding],
    snapshot: Snapshot,
    *,
    model_quotes: Sequence[str | None] | None = None,
    run_tests: bool = False,
    test_command: str | Sequence[str] | None = None,
    test_timeout: float = 300.0,
) -> list[Finding]:
    """Check every anchored finding's fix; with tests, run them before and after in a scratch copy."""
    quotes = list(model_quotes) if model_quotes is not None else [None] * len(findings)
    checks: dict[int, FixCheck] = {}
    for i, finding in enumerate(findings):
        if finding.fix is not None and finding.start_line > 0:
            _, text = snapshot.read_text(finding.path)
            checks[i] = check_fix_text(finding.path, text, finding, quotes[i])
    applied = {i: c for i, c in checks.items() if c.after is not None}
    if run_tests and applied:
        _run_tests_for(findings, applied, snapshot, test_command, test_timeout)
    return [
        f.model_copy(update={"fix": checks[i].fix}) if i in checks else f
        for i, f in enumerate(findings)
    ]


def _run_tests_for(
    findings: Sequence[Finding],
    applied: dict[int, FixCheck],
    snapshot: Snapshot,
    test_command: str | Sequence[str] | None,
    timeout: float,
) -> None:
    pinned = None if snapshot.is_worktree else snapshot.commit  # the commit reviewed, not "HEAD"
    with scratch_copy(snapshot.root, pinned) as workdir:
        try:
            baseline = run_test_command(
                workdir, test_command, timeout=timeout, source_root=snapshot.root
            )
        except RepoAgentError as exc:
            for check in applied.values():
                check.fix = check.fix.model_copy(
                    update={"reason": f"{check.fix.reason}; tests not run: {exc}"}
                )
            return
        for i, check in applied.items():
            target = Path(workdir, findings[i].path)
            original = target.read_bytes()
            try:
                target.write_text(check.after or "", encoding="utf-8", newline="")
                after = run_test_command(
                    workdir, test_command, timeout=timeout, source_root=snapshot.root
                )
            finally:
                target.write_bytes(original)
            check.fix = judge_with_tests(check.fix, baseline, after)
