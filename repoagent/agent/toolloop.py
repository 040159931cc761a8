"""The tool loop shared by Scout and Maverick: ask, run the calls, feed results back, repeat.

A reply without tool calls ends the loop. Invalid calls (bad JSON, unknown tool, arguments that
fail the schema) go back to the model as tool errors once; if the next reply is invalid again,
the calls are dropped and counted. A call repeated with the same arguments is not run again (the
model is told its result is above); a model that does nothing but repeat is stopped. A run budget that runs out ends the loop with what it has.
A reply with neither text nor a call before any call ran is not an answer: the model is asked
once to do its task; a second empty reply ends the loop as ``empty``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from repoagent.agent.recorder import ModelTurn, RecordedChat
from repoagent.errors import BudgetExhausted, ContextOverflowError

#: Runs one valid tool call (name, arguments, call key) and returns the text the model sees.
#: The call key (request hash + call id) names the call in the run's journal.
CallHandler = Callable[[str, dict[str, Any], str], str]

_ELIDED = "[output elided to fit the context window; call the tool again if you need it]"


@dataclass
class LoopResult:
    """How a tool loop ended."""

    turns: int = 0
    ended: str = "done"
    """``done`` (reply without tool calls), ``enough``, ``turn-limit``, ``budget``, ``overflow``,
    ``repeating`` (the model only repeated calls it had already made), ``empty`` (it replied
    with nothing at all, twice, before running any call)."""
    stopped_by: str | None = None
    """The run budget that ran out, when ``ended == "budget"``."""
    dropped_calls: int = 0
    final_text: str = ""


def run_tool_loop(
    chat: RecordedChat,
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    handle_call: CallHandler,
    *,
    max_turns: int,
    enough: Callable[[], bool] | None = None,
    written: str | None = None,
) -> LoopResult:
    """Drive one conversation until the model stops calling tools, or a limit is reached.

    ``enough`` is asked after each turn's calls ran; when it says so, the loop ends without
    another model call (the scout has reported as many candidates as will be investigated).
    ``written`` names the report tool whose reports the last reply may hold as JSON text
    (see :mod:`repoagent.agent.written_reports`); they are handled as calls of it, unless the
    model called that tool in this conversation (its JSON then repeats what it reported).
    """
    result = LoopResult()
    repairs_left = 1
    shrunk = False
    seen: set[str] = set()
    repeated_turns = 0
    ran_any = nudged = reported = False
    awaiting_repair = 0  # calls rejected last turn; if the model then stops, they were dropped
    shown = _shown_text(messages)  # the task and, below, what tools answered: not the model's
    while result.turns < max_turns:
        try:
            turn = chat.chat(messages, tools)
        except BudgetExhausted as exc:
            result.ended, result.stopped_by = "budget", str(exc)
            return result
        except ContextOverflowError:
            if shrunk or not _elide_tool_outputs(messages):
                result.ended = "overflow"
                return result
            shrunk = True
            seen.clear()  # elided outputs may be asked for again
            continue
        result.turns += 1
        messages.append(_assistant_message(turn))
        if not (turn.tool_calls or turn.rejected or ran_any or (turn.content or "").strip()):
            if nudged:
                result.ended = "empty"
                return result
            nudged = True
            messages[-1]["content"] = messages[-1]["content"] or ""
            messages.append({"role": "user", "content": _EMPTY_REPLY})
            continue
        ran_any = ran_any or bool(turn.tool_calls)
        fresh = 0
        for call in turn.tool_calls:
            reported = reported or call["name"] == written
            signature = _signature(call)
            if signature in seen:
                output = _REPEATED.format(name=call["name"])
            else:
                seen.add(signature)
                fresh += 1
                call_key = f"{turn.request_key}:{call['id']}"
                output = handle_call(call["name"], call["arguments"], call_key)
                shown.append(output)
            messages.append(_tool_result(call["id"], output))
        repeated_turns = repeated_turns + 1 if turn.tool_calls and not fresh else 0
        if repeated_turns >= MAX_REPEATED_TURNS:
            result.ended = "repeating"
            return result
        if not turn.tool_calls and not turn.rejected:
            result.dropped_calls += awaiting_repair  # it gave up instead of fixing them
        awaiting_repair = 0
        if turn.rejected:
            repair = repairs_left > 0
            repairs_left -= 1
            messages.extend(_rejection_feedback(turn, repair))
            if repair:
                awaiting_repair = len(turn.rejected)
                continue
            result.dropped_calls += len(turn.rejected)
        if not turn.tool_calls:
            result.final_text = turn.content
            if written is not None and turn.content and not reported:
                result.dropped_calls += _handle_written(turn, tools, written, handle_call, shown)
            return result
        if enough is not None and enough():
            result.ended = "enough"
            return result
    result.ended = "turn-limit"
    return result


#: A model that only repeats calls it already made this many turns in a row is stopped.
MAX_REPEATED_TURNS = 2

_EMPTY_REPLY = (
    "Your reply was empty. Do the task above: call the tools you need, or reply with your "
    "summary (without a tool call) when there is nothing to report."
)

_REPEATED = (
    "error: you already called {name} with exactly these arguments; the result is above. "
    "Use it, call something else, or reply without a tool call when you are done."
)


def _handle_written(
    turn: ModelTurn,
    tools: list[dict[str, Any]],
    name: str,
    handle_call: CallHandler,
    shown: list[str],
) -> int:
    """Run the reports written as JSON in the last reply; return how many were dropped."""
    from repoagent.agent.written_reports import written_reports

    spec = next((t for t in tools if t.get("function", t).get("name") == name), None)
    if spec is None:
        return 0
    reports, dropped = written_reports(turn.content, spec, shown)
    for index, arguments in enumerate(reports):
        handle_call(name, arguments, f"{turn.request_key}:written-{index}")
    return dropped


def _shown_text(messages: list[dict[str, Any]]) -> list[str]:
    """The text of the conversation's opening messages (instructions, pack, task)."""
    shown = []
    for message in messages:
        if message.get("role") == "assistant":
            continue
        content = message.get("content")
        if content:
            shown.append(content if isinstance(content, str) else json.dumps(content))
    return shown


def _signature(call: dict[str, Any]) -> str:
    arguments = json.dumps(call["arguments"], sort_keys=True, default=str)
    return f"{call['name']}\0{arguments}"


def _assistant_message(turn: ModelTurn) -> dict[str, Any]:
    message = {"role": "assistant", "content": turn.message.get("content")}
    calls = turn.message.get("tool_calls")
    if calls:
        message["tool_calls"] = calls
    return message


def _tool_result(call_id: str, text: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": text}


def _rejection_feedback(turn: ModelTurn, repair: bool) -> list[dict[str, Any]]:
    """Answer each invalid call: a tool error for calls the assistant message carries (every
    tool_call id needs an answer), one user message for calls leaked into the text."""
    listed = {c.get("id") for c in turn.message.get("tool_calls") or []}
    feedback: list[dict[str, Any]] = []
    unlisted = []
    for bad in turn.rejected:
        text = f"error: {bad['error']}" if repair else "error: dropped after a failed repair"
        if bad.get("id") in listed:
            feedback.append(_tool_result(bad["id"], text))
        else:
            unlisted.append(f"- {bad.get('name') or 'call'}: {bad['error']}")
    if unlisted and repair:
        text = "These tool calls in your last reply could not be used:\n" + "\n".join(unlisted)
        feedback.append(
            {"role": "user", "content": text + "\nFix them, or reply without a tool call."}
        )
    return feedback


def _elide_tool_outputs(messages: list[dict[str, Any]]) -> bool:
    """Replace all but the last two tool outputs with a note; return whether anything shrank."""
    tool_indexes = [i for i, m in enumerate(messages) if m["role"] == "tool"]
    changed = False
    for i in tool_indexes[:-2]:
        if messages[i]["content"] != _ELIDED and len(messages[i]["content"]) > len(_ELIDED):
            messages[i] = {**messages[i], "content": _ELIDED}
            changed = True
    return changed
