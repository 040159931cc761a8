"""investigate: Maverick checks one candidate in a tool loop and reports findings.

One task per candidate, sent with ``Send`` and run in parallel up to ``--concurrency``. The
sandboxed tools answer every call with text (errors included); ``report_finding`` calls are
collected as raw findings for ``verify``. A reply without a tool call ends the loop.
"""

from __future__ import annotations

import re
from typing import Any

from repoagent.agent.prompts import optional_lines, render_prompt
from repoagent.agent.services import services_for
from repoagent.agent.state import InvestigateTask
from repoagent.agent.toolloop import run_tool_loop
from repoagent.errors import ProviderError
from repoagent.findings.model import SEVERITIES

INVESTIGATE_MAX_TURNS = 16
#: The end of the note for an investigation whose model said nothing at all.
SILENT = "did not happen: the model's replies were empty."


def investigate_messages(task: InvestigateTask) -> list[dict[str, Any]]:
    """System rules, the repository's file list (same for every candidate), the candidate last."""
    request, candidate = task["request"], task["candidate"]
    listing = "\n".join(task["map_files"])
    if task["file_count"] > len(task["map_files"]):
        more = task["file_count"] - len(task["map_files"])
        listing += f"\n… and {more} more files (use list_files)"
    revision = "the working tree" if request["worktree"] else f"revision {request['rev']}"
    repo_map = f"# Repository files ({revision})\n\n{listing}\n"
    quote = candidate["quote"]
    fence = "`" * max(3, _longest_backtick_run(quote) + 1)
    quote_block = f"- Suspicious code:\n\n{fence}\n{quote}\n{fence}\n" if quote else ""
    scope = f" (a change since {request['base']})" if request["base"] else ""
    task_text = render_prompt(
        "investigate_task",
        scope=scope,
        path=candidate["path"],
        near=f" (near line {candidate['line_hint']})" if candidate.get("line_hint") else "",
        reason=candidate["reason"],
        category=candidate["category"],
        quote_block=quote_block,
        **optional_lines(request["query"], request["lang"]),
    )
    return [
        {"role": "system", "content": render_prompt("investigate_system")},
        {"role": "user", "content": repo_map},
        {"role": "user", "content": task_text},
    ]


def investigate(task: InvestigateTask) -> dict[str, Any]:
    """Run Maverick's tool loop on one candidate; return its raw findings and what stopped it."""
    from repoagent.toolbox import INVESTIGATE_TOOLS, load_tool_specs

    services = services_for(task)
    request, candidate = task["request"], task["candidate"]
    tools = services.tools(request)
    findings: list[dict[str, Any]] = []
    label = f"[{task['index'] + 1}] {candidate['path']}"

    def handle(name: str, arguments: dict[str, Any], call_key: str) -> str:
        if name == "report_finding":
            finding = _finding(arguments)
            if finding is None:
                return "error: report_finding needs a non-empty path, quote and title"
            findings.append(finding)
            services.say(f"investigate {label}: finding: {finding['title'][:70]}")
            return f"recorded finding {len(findings)}: {finding['title']}"
        services.say(f"investigate {label}: {name}")
        return services.journal.recall(call_key, lambda: str(tools.run(name, arguments)))

    services.say(f"investigate {label}: started")
    specs = load_tool_specs(INVESTIGATE_TOOLS, run_tests=bool(request["run_tests"]))
    try:
        loop = run_tool_loop(
            services.maverick,
            investigate_messages(task),
            specs,
            handle,
            max_turns=INVESTIGATE_MAX_TURNS,
            written="report_finding",
        )
    except ProviderError as exc:
        services.meter.halt("provider-error")
        return {
            "findings": findings,
            "provider_error": str(exc),
            "notes": [
                f"Investigation of {candidate['path']} stopped: the model endpoint failed ({exc})."
            ],
        }
    update: dict[str, Any] = {"findings": findings, "dropped_calls": loop.dropped_calls}
    if loop.stopped_by:
        update["stopped_by"] = loop.stopped_by
    if loop.ended in ("turn-limit", "overflow"):
        why = "its turn limit" if loop.ended == "turn-limit" else "the context window"
        update["notes"] = [f"Investigation of {candidate['path']} ended at {why}."]
    elif loop.ended == "empty":
        update["notes"] = [f"Investigation of {candidate['path']} {SILENT}"]
    elif loop.ended == "repeating":
        update["notes"] = [
            f"Investigation of {candidate['path']} was stopped: the model kept repeating the "
            "same tool calls."
        ]
    services.say(f"investigate {label}: done, {len(findings)} finding(s)")
    return update


#: Caps on model-written text (a runaway model once wrote a 5,000-character title).
MAX_TITLE = 200
MAX_CATEGORY = 40
MAX_EXPLANATION = 4000
MAX_REASON = 1000


def shorten(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters (at a space when one is near) with ``…``."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _finding(arguments: dict[str, Any]) -> dict[str, Any] | None:
    path = str(arguments.get("path") or "").strip()
    quote = str(arguments.get("quote") or "")
    title = str(arguments.get("title") or "").strip()
    if not path or not quote.strip() or not title:
        return None
    severity = str(arguments.get("severity") or "medium").lower()
    hint = arguments.get("line_hint")
    replacement = arguments.get("replacement")
    return {
        "path": path,
        "quote": quote,
        "severity": severity if severity in SEVERITIES else "medium",
        "category": shorten(str(arguments.get("category") or "correctness"), MAX_CATEGORY),
        "title": shorten(title, MAX_TITLE),
        "explanation": shorten(str(arguments.get("explanation") or ""), MAX_EXPLANATION),
        "line_hint": hint if isinstance(hint, int) else None,
        "replacement": replacement if isinstance(replacement, str) else None,
        "reported_by": ["maverick"],
    }
