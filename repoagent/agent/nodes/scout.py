"""scout: the scout role reads the pack (first, byte-stable) and the task (last), and reports
candidate problems through ``report_candidate``. A reply without a tool call ends the stage.

If the scout cannot be used (its endpoint refuses, it cannot call tools, its calls are
unparseable), the run falls back to Maverick on the highest-ranked files and says so.
If the pack overflows the served context, the pack budget shrinks and ``prepare`` runs again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from repoagent.agent.nodes.investigate import MAX_CATEGORY, MAX_REASON, shorten
from repoagent.agent.prompts import optional_lines, render_prompt
from repoagent.agent.services import services_for
from repoagent.agent.state import ReviewState
from repoagent.agent.toolloop import run_tool_loop
from repoagent.errors import ContextOverflowError, ProviderAuthError, ProviderError

SCOUT_MAX_TURNS = 8
SHRINK = 0.6
MIN_PACK_BUDGET = 2000
FALLBACK_FILES = 5


def scout_messages(state: ReviewState) -> list[dict[str, Any]]:
    """The scout's request: system rules, then the pack, then the task last."""
    request = state["request"]
    pack_text = Path(state["pack"]["file"]).read_text(encoding="utf-8")
    scope = f" (the changes since {request['base']} matter most)" if request["base"] else ""
    task = render_prompt(
        "scout_task",
        scope=scope,
        max_candidates=request["max_candidates"],
        **optional_lines(request["query"], request["lang"]),
    )
    return [
        {"role": "system", "content": render_prompt("scout_system")},
        {"role": "user", "content": pack_text},
        {"role": "user", "content": task},
    ]


def scout(state: ReviewState) -> dict[str, Any]:
    """Ask the scout for candidates; return them, or a shrunk budget, or the fallback list."""
    from repoagent.toolbox import SCOUT_TOOLS, load_tool_specs

    services = services_for(state)
    if state["pack"].get("unchanged"):
        base = state["request"]["base"]
        services.say(f"scout: no changes since the merge base with {base}; nothing to review")
        note = f"No changes since the merge base with {base}: there was nothing to review."
        return {"candidates": [], "notes": [note]}
    candidates: list[dict[str, Any]] = []

    def report_candidate(name: str, arguments: dict[str, Any], _key: str) -> str:
        if name != "report_candidate":
            return f"error: unknown tool {name!r}; the only tool here is report_candidate"
        candidate = _candidate(arguments)
        if candidate is None:
            return "error: report_candidate needs a non-empty path, quote and reason"
        if any(
            (c["path"], c["quote"]) == (candidate["path"], candidate["quote"]) for c in candidates
        ):
            return "already recorded: this candidate was reported before"
        candidates.append(candidate)
        services.say(f"scout: candidate {candidate['path']}: {candidate['reason'][:70]}")
        return f"recorded candidate {len(candidates)}"

    services.say("scout: reading the pack")
    try:
        loop = run_tool_loop(
            services.scout,
            scout_messages(state),
            load_tool_specs(SCOUT_TOOLS),
            report_candidate,
            max_turns=SCOUT_MAX_TURNS,
            enough=lambda: len(candidates) >= state["request"]["max_candidates"],
            written="report_candidate",
        )
    except ContextOverflowError as exc:  # raised only when nothing could be elided
        return _shrink(state, str(exc))
    except ProviderError as exc:
        if _maverick_would_fail_too(exc, services.settings):
            services.meter.halt("provider-error")
            return {"provider_error": str(exc), "candidates": []}
        return _fallback(state, f"the scout model failed ({exc})")
    if loop.ended == "overflow" and not candidates:
        return _shrink(state, "the pack did not fit the scout's served context window")
    update: dict[str, Any] = {"dropped_calls": loop.dropped_calls}
    if loop.stopped_by:
        update["stopped_by"] = loop.stopped_by
    if not candidates and loop.ended == "empty":
        return {**update, **_fallback(state, "its replies were empty")}
    if not candidates and loop.dropped_calls and not loop.stopped_by:
        return {**update, **_fallback(state, "the scout's tool calls could not be parsed")}
    limit = state["request"]["max_candidates"]
    if not candidates and loop.ended == "done" and loop.turns == 1:
        # It answered in prose at once: a model without tool calling that names files anyway.
        named = _prose_candidates(state, loop.final_text)
        if named:
            services.say(
                f"scout: answered in prose; investigating the {len(named)} file(s) it named"
            )
            note = (
                "The scout answered in prose without calling report_candidate; the files it "
                f"named were investigated: {', '.join(c['path'] for c in named[:limit])}."
            )
            return {**update, "candidates": named[:limit], "notes": [note]}
    if not candidates and not loop.stopped_by:
        update["notes"] = ["The scout reported no candidates, so nothing needed investigating."]
    if len(candidates) > limit:
        update["notes"] = [
            f"The scout reported {len(candidates)} candidates; the first {limit} were investigated."
        ]
    services.say(f"scout: {len(candidates)} candidate(s)")
    return {**update, "candidates": candidates[:limit]}


def _maverick_would_fail_too(exc: ProviderError, settings: Any) -> bool:
    """A refused request (no tool support, unknown model: HTTP 4xx) is the scout's problem; an
    endpoint that is down or rejects the key fails Maverick too when both share it."""
    if settings.scout.base_url != settings.maverick.base_url:
        return False
    if isinstance(exc, ProviderAuthError):
        return settings.scout.key_variables() == settings.maverick.key_variables()
    return not re.search(r"\bHTTP 4\d\d\b", str(exc))


def _candidate(arguments: dict[str, Any]) -> dict[str, Any] | None:
    path = str(arguments.get("path") or "").strip()
    quote = str(arguments.get("quote") or "")
    reason = str(arguments.get("reason") or "").strip()
    if not path or not quote.strip() or not reason:
        return None
    hint = arguments.get("line_hint")
    return {
        "path": path,
        "quote": quote,
        "reason": shorten(reason, MAX_REASON),
        "category": shorten(str(arguments.get("category") or "correctness"), MAX_CATEGORY),
        "line_hint": hint if isinstance(hint, int) else None,
        "source": "scout",
    }


def _prose_candidates(state: ReviewState, text: str) -> list[dict[str, Any]]:
    """Candidates for the packed files a prose answer names (by path, or by a unique file name)."""
    files = list(dict.fromkeys([*state["pack"]["ranked"], *state["pack"]["map_files"]]))
    by_name: dict[str, list[str]] = {}
    for path in files:
        by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    named: list[tuple[int, str]] = []
    for path in files:
        name = path.rsplit("/", 1)[-1]
        where = _mention(text, path)
        if where < 0 and len(by_name[name]) == 1 and "." in name:
            where = _mention(text, name)
        if where >= 0:
            named.append((where, path))
    excerpt = " ".join(text.split())[:400]
    return [
        {
            "path": path,
            "quote": "",
            "reason": f"The scout named this file without reporting a candidate: {excerpt}",
            "category": "correctness",
            "line_hint": None,
            "source": "scout-prose",
        }
        for _, path in sorted(named)
    ]


def _mention(text: str, name: str) -> int:
    match = re.search(rf"(?<![\w./-]){re.escape(name)}(?![\w/-])", text)
    return match.start() if match else -1


def _shrink(state: ReviewState, why: str) -> dict[str, Any]:
    # Shrink what was sent, not the budget: a 2k-token pack under a 50k budget stays 2k-tokens
    # until the budget drops below it, and each retry re-sends the whole pack.
    budget = int(
        min(state["pack"]["budget"], state["pack"].get("tokens") or state["pack"]["budget"])
        * SHRINK
    )
    if budget < MIN_PACK_BUDGET:
        return _fallback(state, f"{why}, even with a {state['pack']['budget']:,}-token pack")
    services_for(state).say(f"scout: {why}; repacking with {budget:,} tokens")
    note = f"The scout's context overflowed; the pack was shrunk to {budget:,} tokens ({why})."
    return {"overflowed": True, "pack_budget": budget, "notes": [note]}


def _fallback(state: ReviewState, why: str) -> dict[str, Any]:
    ranked = state["pack"]["ranked"][:FALLBACK_FILES]
    services_for(state).say(f"scout unusable: {why}; Maverick reviews the top {len(ranked)} files")
    note = (
        f"Scout could not be used: {why}. Maverick reviewed the {len(ranked)} highest-ranked "
        f"files instead: {', '.join(ranked)}."
    )
    candidates = [
        {
            "path": path,
            "quote": "",
            "reason": "The scout was unavailable; review this file, one of the most relevant "
            "in the repository, for real defects.",
            "category": "correctness",
            "line_hint": None,
            "source": "fallback",
        }
        for path in ranked
    ]
    return {"candidates": candidates, "notes": [note], "overflowed": False}
