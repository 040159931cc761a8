"""report: assemble the :class:`~repoagent.findings.model.Report` — findings, coverage, usage,
turns, what stopped the run and every note the reader needs to judge "no issues found"."""

from __future__ import annotations

from typing import Any

from repoagent.agent.nodes.investigate import SILENT
from repoagent.agent.services import services_for
from repoagent.agent.state import ReviewState
from repoagent.findings.model import (
    CoverageFile,
    Finding,
    Report,
    UnlocatedFinding,
    severity_rank,
)

_STOP_NOTES = {
    "max-turns": "The turn budget (--max-turns) ran out",
    "max-tokens": "The token budget (--max-tokens) ran out",
    "max-cost": "The cost budget (--max-cost) ran out",
    "timeout": "The time budget (--timeout) ran out",
    "provider-error": "The model endpoint failed",
}


def build_report(state: ReviewState) -> Report:
    """Return the run's report from the final state and the run's usage ledger."""
    services = services_for(state)
    request, pack = state["request"], state.get("pack", {})
    verified: dict[str, Any] = state.get("verified") or {"findings": [], "unlocated": []}
    findings = sorted(
        (Finding.model_validate(f) for f in verified["findings"]),
        key=lambda f: (severity_rank(f.severity), f.path, f.start_line),
    )
    coverage = _fallback_coverage(
        [CoverageFile.model_validate(c) for c in pack.get("coverage", [])],
        state.get("candidates", []),
    )
    notes = _one_overflow_note(list(state.get("notes", [])))
    error = state.get("provider_error") or _all_silent(state, notes)
    # A provider failure outranks a budget: the CLI maps it to exit code 3.
    stopped_by = "provider-error" if error else state.get("stopped_by")
    if stopped_by:
        notes.append(
            f"{_STOP_NOTES.get(stopped_by, stopped_by)}; the run stopped early and reports what "
            f"it found so far ({len(findings)} finding(s))."
        )
    if error and not any(error in n for n in notes):
        notes.append(f"Model endpoint error: {error}")
    dropped = state.get("dropped_calls", 0)
    if dropped:
        notes.append(f"{dropped} malformed tool call(s) were dropped after a failed repair.")
    left_out = [c for c in coverage if c.level is None and c.reason == "budget"]
    if left_out:
        notes.append(
            f"{len(left_out)} file(s) did not fit the pack budget and were not read by the scout."
        )
    replayed = services.scout.replayed + services.maverick.replayed
    if replayed:
        notes.append(
            f"Resumed run: {replayed} recorded model repl(ies) were replayed, not re-requested."
        )
    return Report(
        repository=request["path"],
        revision=pack.get("revision", request["rev"]),
        base=request["base"],
        run_id=state["run_id"],
        findings=findings,
        unlocated=[UnlocatedFinding.model_validate(u) for u in verified["unlocated"]],
        coverage=coverage,
        usage=services.meter.usage(),
        turns=services.meter.turns,
        stopped_by=stopped_by,
        notes=notes,
    )


def _all_silent(state: ReviewState, notes: list[str]) -> str | None:
    """An endpoint whose model replied with nothing to every investigation is unusable."""
    candidates = state.get("candidates") or []
    silent = sum(1 for n in notes if n.endswith(SILENT))
    if candidates and silent >= len(candidates) and not state.get("findings"):
        return "the model replied with nothing at all (empty content, no tool call) every time"
    return None


def _fallback_coverage(
    coverage: list[CoverageFile], candidates: list[dict[str, Any]]
) -> list[CoverageFile]:
    """When the scout could not be used, only the fallback files were reviewed: the others were
    seen by name only (Maverick's file list), so they count as ``listed``, ``scout-unusable``."""
    if not any(c.get("source") == "fallback" for c in candidates):
        return coverage
    reviewed = {c["path"] for c in candidates}
    return [
        c
        if c.level is None or c.path in reviewed
        else c.model_copy(update={"level": "listed", "reason": "scout-unusable"})
        for c in coverage
    ]


def _one_overflow_note(notes: list[str]) -> list[str]:
    """Several pack shrinks read as one note: how often, and the last budget."""
    shrinks = [n for n in notes if n.startswith(_OVERFLOW)]
    if len(shrinks) < 2:
        return notes
    last = shrinks[-1].replace(_OVERFLOW, f"{_OVERFLOW} {len(shrinks)} times", 1)
    return [last if n is shrinks[-1] else n for n in notes if n not in shrinks[:-1]]


_OVERFLOW = "The scout's context overflowed"


def report(state: ReviewState) -> dict[str, Any]:
    """Store the final report (as JSON) in the state."""
    result = build_report(state)
    services_for(state).say(
        f"report: {len(result.findings)} finding(s), {result.turns} model call(s)"
    )
    return {"report": result.model_dump(mode="json")}
