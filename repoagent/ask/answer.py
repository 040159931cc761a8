"""Answer one question: Scout from the pack, streamed; Maverick with tools when the pack falls short.

Scout signals that the pack does not hold what the question needs by answering
``NEEDS_TOOLS: <what to look for>`` (see ``prompts/ask_system.md``); that line is never shown.
Every block of either answer is checked (citations) before it reaches the reader.

A sloppy model is handled here too: a Scout answer that is empty or only a tool call written as
text goes to Maverick; an empty Maverick reply is asked for an answer once; marker lines and
calls written as text never reach the reader; no answer at all is a :class:`ProviderError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from repoagent.ask.citations import Citation
from repoagent.ask.context import AskContext
from repoagent.ask.stream import checked_blocks
from repoagent.errors import ProviderError
from repoagent.llm.leaked_calls import find_leaked_calls
from repoagent.llm.repair import declared_name, tool_schemas
from repoagent.report.markdown import without_controls
from repoagent.resources import read_prompt

NEEDS_TOOLS = "NEEDS_TOOLS"
#: The fixed reply after the pack, so roles alternate and the prefix stays byte-stable.
PACK_ACK = "I have read the repository. What would you like to know?"
MAX_TOOL_TURNS = 8
#: Sent once when Maverick's reply has neither text nor a tool call.
EMPTY_REPLY = (
    "Your reply was empty. Answer the question now from what you found, citing path:line, "
    "without a tool call."
)
#: Sent when Maverick is still searching after its last tool turn.
STOP_SEARCHING = "Stop searching and answer with what you found."

Emit = Callable[[str], None]


@dataclass
class AskServices:
    """The live objects a turn needs (the graph's runtime context, never checkpointed)."""

    context: AskContext
    scout: Any
    """An :class:`repoagent.llm.OpenAIChatClient` for the scout role."""
    maverick: Any
    emit: Emit
    """Receives each checked block of the answer as it completes."""
    lang: str | None = None
    max_tool_turns: int = MAX_TOOL_TURNS
    progress: Emit | None = None
    """Receives status lines (tool calls) that are not part of the answer."""


@dataclass
class Answer:
    """One answer as shown, its citations, and which role gave it."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    answered_by: str = "scout"
    blocks: list[str] = field(default_factory=list)


def system_prompt(name: str, lang: str | None) -> str:
    """The system prompt ``name`` with the answer-language line when ``lang`` is set."""
    text = read_prompt(name)
    if lang:
        text += "\n" + read_prompt("ask_language.md").format(language=lang)
    return text


def scout_messages(
    services: AskServices, history: list[dict[str, Any]], question: str
) -> list[dict[str, Any]]:
    """System prompt, the pack, the conversation so far, then the question (always last)."""
    return [
        {"role": "system", "content": system_prompt("ask_system.md", services.lang)},
        {"role": "user", "content": services.context.pack_message()},
        {"role": "assistant", "content": PACK_ACK},
        *history,
        {"role": "user", "content": question},
    ]


def _show(services: AskServices, answer: Answer, block: str, citations: list[Citation]) -> None:
    block = without_controls(block)  # a model's ANSI escapes must not drive the terminal
    answer.blocks.append(block)
    answer.citations.extend(citations)
    services.emit(block)


def ask_scout(services: AskServices, history: list[dict[str, Any]], question: str) -> Answer | str:
    """Stream Scout's answer, checked block by block; or return what it needs tools to find."""
    answer = Answer()
    context = services.context
    stream = services.scout.stream(scout_messages(services, history, question))
    try:
        for block, citations in checked_blocks(stream, context.read, context.known_paths):
            need = _needs_tools(block)
            if need is not None:  # first, or after a lead-in ("Let me check." + the marker)
                return need or question
            if not answer.blocks and _only_calls(block, context.tools.specs()):
                return question  # it tried to call a tool: Maverick has the tools
            _show(services, answer, block, citations)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    answer.text = "\n\n".join(answer.blocks)
    return answer


def ask_maverick(
    services: AskServices, history: list[dict[str, Any]], question: str, need: str
) -> Answer:
    """Let Maverick search with the review's tools, then show its checked answer."""
    tools = services.context.tools
    specs = tools.specs()
    hint = f"\n\n(The packed view did not show this; look for: {need})" if need != question else ""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": system_prompt("ask_investigate.md", services.lang)},
        *history,
        {"role": "user", "content": question + hint},
    ]
    text = _search_and_answer(services, messages, specs)
    answer = Answer(answered_by="maverick")
    context = services.context
    for block, citations in checked_blocks([text], context.read, context.known_paths):
        _show(services, answer, block, citations)
    answer.text = "\n\n".join(answer.blocks)
    return answer


def _search_and_answer(
    services: AskServices, messages: list[dict[str, Any]], specs: list[dict[str, Any]]
) -> str:
    """Maverick's tool loop; return its answer text with markers and text-written calls removed."""
    tools = services.context.tools
    nudged = False
    for _turn in range(services.max_tool_turns):
        reply = services.maverick.chat(messages, tools=specs)
        messages.append(reply.message)
        if not reply.tool_calls and not reply.rejected_calls:
            text = _answer_text(reply.content, specs)
            if text or nudged:
                return text
            nudged = True  # an empty reply: ask once for the answer, then give up
            messages.append({"role": "user", "content": EMPTY_REPLY})
            continue
        for call in reply.tool_calls:
            if services.progress is not None:
                services.progress(
                    f"{call.name} {json.dumps(call.arguments, ensure_ascii=False)[:100]}"
                )
            output = tools.run(call.name, call.arguments)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": output})
        for rejected in reply.rejected_calls:
            messages.append(rejected.tool_message())
    messages.append({"role": "user", "content": STOP_SEARCHING})
    text = _answer_text(services.maverick.chat(messages).content, specs)
    if not text:
        where = getattr(services.maverick, "where", "the model")
        raise ProviderError(
            f"{where} kept calling tools for {services.max_tool_turns} turns and gave no answer"
        )
    return text


def _needs_tools(block: str) -> str | None:
    """What a block's ``NEEDS_TOOLS: …`` line asks to look for ("" when it names nothing);
    ``None`` when the block has no such line."""
    fenced = False
    for line in block.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced  # a quoted prompt or log in a code block is not the marker
        stripped = line.strip().strip("*_`")
        if not fenced and stripped.startswith(NEEDS_TOOLS):
            return stripped[len(NEEDS_TOOLS) :].lstrip(" :").strip()
    return None


def _only_calls(text: str, specs: list[dict[str, Any]]) -> bool:
    """Whether ``text`` is nothing but calls of the ask tools written as text (no prose for the
    reader); a quoted JSON object with a "name" key (package.json) is not a call."""
    calls, prose = find_leaked_calls(text)
    schemas = tool_schemas(specs)
    tool_calls = [call for call in calls if declared_name(call.name, schemas) in schemas]
    return bool(tool_calls) and not prose.strip()


def _answer_text(content: str | None, specs: list[dict[str, Any]]) -> str:
    """The reader's part of a reply: without ``NEEDS_TOOLS`` lines; nothing when all that is
    left is a call written as text (an answer that quotes such code keeps it)."""
    text = "\n".join(
        line for line in (content or "").splitlines() if not line.lstrip().startswith(NEEDS_TOOLS)
    ).strip()
    return "" if _only_calls(text, specs) else text


def answer_question(services: AskServices, history: list[dict[str, Any]], question: str) -> Answer:
    """Scout first; Maverick with tools when Scout says the pack does not hold the answer (or
    gives none); a :class:`ProviderError` when neither role answers at all."""
    result = ask_scout(services, history, question)
    if isinstance(result, Answer) and result.blocks:
        return result
    if isinstance(result, Answer):
        result = question
        _progress(services, "the scout's answer was empty; searching with tools")
    else:
        _progress(services, f"not in the pack; searching with tools for: {result[:100]}")
    answer = ask_maverick(services, history, question, result)
    if not answer.blocks:
        where = getattr(services.maverick, "where", "the model")
        raise ProviderError(f"{where} returned an empty answer")
    return answer


def _progress(services: AskServices, message: str) -> None:
    if services.progress is not None:
        services.progress(message)


def answer_json(answer: Answer, **extra: Any) -> str:
    """The answer for scripts: text, citations (verified or not), and whatever ``extra`` adds."""
    document = {
        **extra,
        "answer": answer.text,
        "answered_by": answer.answered_by,
        "citations": [c.model_dump() for c in answer.citations],
        "verified": sum(1 for c in answer.citations if c.verified),
        "unverified": sum(1 for c in answer.citations if not c.verified),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
