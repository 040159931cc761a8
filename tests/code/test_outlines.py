"""Golden outlines and symbols, one fixture per language (``UPDATE_GOLDEN=1`` rewrites them)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from repoagent.code import outline_file
from repoagent.code.symbols import analyze_file, record_definitions, record_references

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted(
    p for p in FIXTURES.glob("[a-z]*/[sS]ample.*") if p.suffix not in (".outline", ".symbols")
)
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
NUMBERED = re.compile(r"^ *(\d+)│(.*)$")


def _check_golden(golden: Path, actual: str) -> None:
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"missing golden file {golden.name}; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def _symbols_text(path: Path) -> str:
    record = analyze_file(path.name, path.read_bytes())
    lines = [
        f"def {d.line} {d.kind} {d.qualified_name} :: {d.signature}"
        for d in record_definitions(path.name, record)
    ]
    lines += [f"ref {r.line} {r.kind} {r.name}" for r in record_references(path.name, record)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_outline_matches_golden(sample: Path) -> None:
    outline = outline_file(sample.name, sample.read_text(encoding="utf-8"))
    assert outline is not None
    _check_golden(sample.with_name(sample.name + ".outline"), outline)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_kept_line_is_the_original_line_with_its_number(sample: Path) -> None:
    original = sample.read_text(encoding="utf-8").split("\n")
    outline = outline_file(sample.name, sample.read_text(encoding="utf-8")) or ""
    kept = [NUMBERED.match(line) for line in outline.splitlines()]
    numbered = [m for m in kept if m]
    assert len(numbered) >= 5
    for m in numbered:
        assert original[int(m.group(1)) - 1].rstrip() == m.group(2)
    # Bodies are elided: the outline is shorter than the file and shows the marker.
    assert len(numbered) < len(original) - 1
    assert "⋮..." in outline


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_symbols_match_golden(sample: Path) -> None:
    symbols = _symbols_text(sample)
    assert "def " in symbols and "ref " in symbols
    _check_golden(sample.with_name(sample.name + ".symbols"), symbols)
