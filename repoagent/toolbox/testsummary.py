"""Read a test runner's output: one summary line and the names of failing tests."""

from __future__ import annotations

import re

_PYTEST_SUMMARY = re.compile(
    r"^=*\s*((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)"
    r"(?:, )?)+)(?: in [\d.]+s.*)?=*\s*$"
)
_PYTEST_NO_TESTS = re.compile(r"^=*\s*no tests ran")
_PYTEST_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)")
_GO_FAILED = re.compile(r"^\s*--- FAIL: (\S+)")
_CARGO_RESULT = re.compile(r"^test result: .*")
_CARGO_FAILED = re.compile(r"^test (\S+) \.\.\. FAILED")
_JEST_TESTS = re.compile(r"^Tests:\s+.*")
_JEST_FAILED = re.compile(r"^\s*[✕×] (.+?)(?: \(\d+ ms\))?$")


def summarise(output: str, exit_code: int | None) -> tuple[str, list[str]]:
    """Return ``(summary line, failing test names)`` for pytest, go, cargo or jest output."""
    lines = output.splitlines()
    failed: list[str] = []
    summary = ""
    for line in lines:
        for pattern in (_PYTEST_FAILED, _GO_FAILED, _CARGO_FAILED, _JEST_FAILED):
            match = pattern.match(line)
            if match:
                failed.append(match.group(1).strip())
                break
        if _PYTEST_SUMMARY.match(line) or _PYTEST_NO_TESTS.match(line):
            summary = line.strip("= ").strip()
        elif _CARGO_RESULT.match(line) or _JEST_TESTS.match(line):
            summary = line.strip()
    if not summary and any(line.startswith(("ok ", "FAIL")) for line in lines):
        go_ok = sum(line.startswith("ok ") for line in lines)
        go_fail = sum(line.startswith("FAIL\t") for line in lines)
        summary = f"{go_ok} packages ok, {go_fail} failed"
    if not summary:
        tail = [line.strip() for line in lines if line.strip()][-1:]
        summary = tail[0][:200] if tail else "no output"
    if exit_code == 0 and not failed:
        summary = summary or "tests passed"
    return summary, list(dict.fromkeys(failed))
